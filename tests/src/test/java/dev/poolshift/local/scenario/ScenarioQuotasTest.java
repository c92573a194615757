package dev.poolshift.local.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A scenario's {@code quotas}: parsed strictly, and what SageMaker and Service Quotas then hold. */
class ScenarioQuotasTest {
  static final Path ROOT = Path.of("").toAbsolutePath();

  private static ObjectNode quotaTight() {
    return (ObjectNode) LocalJson.read(ROOT.resolve("events/scenarios/quota-tight.json"));
  }

  @Test
  void everyQuotaProblemNamesItsField() {
    ObjectNode scenario = quotaTight();
    scenario.putObject("quotas").put("ml.g5.2xlarge", -1).put("g5.2xlarge", 2).put("ml.g6.2xlarge", "four");

    assertThatThrownBy(() -> Scenario.parse(scenario, "s.json", ROOT)).isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
            "quotas.ml.g5.2xlarge: must be 0–100000 (got -1)",
            "quotas.g5.2xlarge: must be an ML instance type such as ml.g5.2xlarge",
            "quotas.ml.g6.2xlarge: must be an integer"));
  }

  @Test
  void declaredQuotasAreEnforcedAndEveryOtherTypeGetsZero() {
    Scenario scenario = Scenario.parse(quotaTight(), "quota-tight.json", ROOT);

    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      assertThat(runtime.sageMaker().instanceQuota("ml.g5.2xlarge")).isEqualTo(5);
      assertThat(runtime.sageMaker().instanceQuota("ml.p4d.24xlarge")).isZero();
      assertThat(runtime.sageMaker().heldInstances("ml.g5.2xlarge")).isEqualTo(3);
    }
  }

  @Test
  void aScenarioWithoutQuotasEnforcesNone() {
    ObjectNode json = quotaTight();
    json.remove("quotas");
    Scenario scenario = Scenario.parse(json, "s.json", ROOT);

    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      assertThat(runtime.sageMaker().instanceQuota("ml.g5.2xlarge")).isNull();
    }
  }

  @Test
  void endpointsThatDoNotFitTheDeclaredQuotasCannotBeSeeded() {
    ObjectNode json = quotaTight();
    ((ObjectNode) json.path("quotas")).put("ml.g5.2xlarge", 2);
    Scenario scenario = Scenario.parse(json, "s.json", ROOT);

    assertThatThrownBy(() -> ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template())))
        .hasMessageContaining("cannot seed endpoint fraud-scoring-shadow: variant AllTraffic needs 1 instances but"
            + " only 0 fit the capacity and quota of [ml.g5.2xlarge]");
  }
}
