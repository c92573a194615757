package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.autoscaling.ApplicationAutoScalingService;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.ScenarioRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped rollout scenarios, run on the local runtime with the real template, workflow and handlers. */
class RolloutScenarioTest {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final String NEW_PACKAGE = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/2";

  /** A finished run with its runtime still open for inspection. */
  record Rehearsal(ScenarioReport report, LocalRuntime runtime) {}

  @BeforeAll
  static void warmUp() {
    // The first run in a JVM pays for class loading and JIT; the wall-time
    // budget below is about the rollout itself.
    rehearse("happy-path.json", s -> {}, r -> {});
  }

  @Test
  void anApprovedVersionIsPromotedOntoInstancePoolsInProfileOrder() {
    rehearse("happy-path.json", s -> {}, r -> {
      JsonNode execution = onlyExecution(r);
      assertThat(execution.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");

      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint("fraud-scoring-prod");
      assertThat(endpoint.variants()).singleElement().satisfies(v -> {
        assertThat(v.name()).as("the baseline's variant name is kept").isEqualTo("AllTraffic");
        assertThat(v.currentWeight()).isEqualTo(1.0);
        assertThat(v.servingInstances()).allSatisfy(i -> assertThat(i.modelPackageArn()).isEqualTo(NEW_PACKAGE));
      });
      JsonNode config = r.runtime().sageMaker().invoke("DescribeEndpointConfig",
          LocalJson.object().put("EndpointConfigName", endpoint.configName()));
      JsonNode variant = config.path("ProductionVariants").get(0);
      assertThat(variant.has("InstanceType")).isFalse();
      assertThat(variant.path("InstancePools").findValuesAsText("InstanceType"))
          .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
      assertThat(variant.path("InstancePools").findValuesAsText("Priority")).containsExactly("1", "2", "3");
      assertThat(variant.path("InstancePools").get(2).path("ModelNameOverride").asText())
          .as("the g6 pool runs the int8 build").contains("g6-int8");
      assertThat(variant.path("RoutingConfig").path("RoutingStrategy").asText()).isEqualTo("LEAST_OUTSTANDING_REQUESTS");
      assertThat(variant.path("VariantInstanceProvisionTimeoutInSeconds").asInt()).isEqualTo(1200);
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  @Test
  void aShortageOfThePriorityOneTypeLandsTheFleetOnPriorityTwo() {
    rehearse("gpu-shortage.json", s -> {}, r -> {
      assertThat(onlyExecution(r).path("outcome").asText()).isEqualTo("PROMOTED");
      JsonNode pools = r.report().json().path("endpoints").path("fraud-scoring-prod").path("variants").get(0).path("instancePools");
      assertThat(pools).singleElement().satisfies(p -> {
        assertThat(p.path("instanceType").asText()).isEqualTo("ml.g5.4xlarge");
        assertThat(p.path("priority").asInt()).isEqualTo(2);
        assertThat(p.path("currentInstanceCount").asInt()).isEqualTo(2);
      });
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  @Test
  void aTotalShortageOfTheEndpointsOwnTypePutsTheBaselineCopyOnThePoolsToo() {
    try (dev.poolshift.workflow.Rehearsal r = dev.poolshift.workflow.Rehearsal.of("total-shortage.json", s -> { })) {
      r.runUntilState("Bake under alarms");
      EndpointView duringCanary = r.runtime().sageMaker().requireEndpoint("fraud-scoring-prod");
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(duringCanary.variants()).as("the copy of v1 and the canary, both on g6, the only"
          + " type with capacity").allSatisfy(v -> assertThat(v.servingByInstanceType())
              .isEqualTo(java.util.Map.of("ml.g6.2xlarge", 2)));
      assertThat(r.runtime().sageMaker().mutations()).extracting(m -> m.operation() + " "
          + m.resource()).contains("CreateModel fraud-scoring-v1-g6-int8-da96f473",
              "DeleteModel fraud-scoring-v1-g6-int8-da96f473");
      assertThat(r.rejected("InsufficientInstanceCapacity")).isEmpty();
      r.assertInvariants();
    }
  }

  @Test
  void anEndpointAlreadyOnPoolsKeepsItsPools() {
    rehearse("already-on-pools.json", s -> {}, r -> {
      assertThat(onlyExecution(r).path("outcome").asText()).isEqualTo("PROMOTED");
      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint("fraud-scoring-prod");
      JsonNode variant = r.runtime().sageMaker().invoke("DescribeEndpointConfig",
          LocalJson.object().put("EndpointConfigName", endpoint.configName())).path("ProductionVariants").get(0);
      assertThat(variant.path("InstancePools").findValuesAsText("InstanceType"))
          .containsExactly("ml.g5.2xlarge", "ml.g6.2xlarge");
      assertThat(variant.path("VariantInstanceProvisionTimeoutInSeconds").asInt()).isEqualTo(900);
      assertThat(variant.path("InitialInstanceCount").asInt()).isEqualTo(3);
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  @Test
  void theAutoscaledScenarioTakesTheVariantOutBeforeTheFirstUpdateAndPutsItBackAfterTheLast() {
    rehearse("autoscaled-endpoint.json", s -> {}, r -> {
      assertThat(onlyExecution(r).path("outcome").asText()).isEqualTo("PROMOTED");
      List<Instant> updates = r.runtime().sageMaker().mutations().stream()
          .filter(m -> m.accepted() && m.operation().equals("UpdateEndpoint"))
          .map(m -> m.time()).toList();
      List<ApplicationAutoScalingService.Change> changes = r.runtime().autoScaling().changes();
      assertThat(changes).extracting(ApplicationAutoScalingService.Change::operation).containsExactly(
          "DeleteScalingPolicy", "DeregisterScalableTarget",
          "RegisterScalableTarget", "PutScalingPolicy", "PutScheduledAction");
      assertThat(changes.get(1).time()).as("deregistered before the first UpdateEndpoint")
          .isBeforeOrEqualTo(updates.getFirst());
      assertThat(changes.get(2).time()).as("registered again after the last UpdateEndpoint")
          .isAfter(updates.getLast());
      assertThat(r.report().text()).contains(
          "application-autoscaling DeregisterScalableTarget endpoint/fraud-scoring-prod/variant/AllTraffic");
      JsonNode autoscaling = r.report().json().path("endpoints").path("fraud-scoring-prod")
          .path("variants").get(0).path("autoscaling");
      assertThat(autoscaling.path("minCapacity").asInt()).isEqualTo(2);
      assertThat(autoscaling.path("maxCapacity").asInt()).isEqualTo(6);
      assertThat(autoscaling.path("scheduledActions")).hasSize(1);
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  @Test
  void threeTenMinuteBakesTakeUnderFiveSecondsOfWallTime() {
    rehearse("happy-path.json", s -> {}, r -> {
      assertThat(onlyExecution(r).path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(r.report().json().path("virtualSeconds").asDouble()).as("three 10-minute bakes inside")
          .isGreaterThan(3 * 600);
      assertThat(r.report().json().path("wallMillis").asLong()).isLessThan(5_000);
    });
  }

  @Test
  void aRolloutsStateTransitionsDoNotGrowWithBakeLength() {
    long[] transitions = new long[2];
    double[] virtual = new double[2];
    int i = 0;
    for (int bake : new int[] {600, 6 * 3600}) {
      int slot = i++;
      rehearse("happy-path.json", s -> profile(s).put("bakeSeconds", bake), r -> {
        assertThat(onlyExecution(r).path("outcome").asText()).isEqualTo("PROMOTED");
        transitions[slot] = onlyExecution(r).path("stateTransitions").asLong();
        virtual[slot] = r.report().json().path("virtualSeconds").asDouble();
      });
    }
    assertThat(virtual[1] - virtual[0]).as("virtual time grows by the longer bakes").isGreaterThan(3 * (6 * 3600 - 600) - 60);
    assertThat(transitions[1]).isEqualTo(transitions[0]);
    assertThat(transitions[0]).as("the happy path, its post-promotion bake and gate included")
        .isLessThanOrEqualTo(50);
  }

  // ---------------------------------------------------------------- helpers

  static JsonNode onlyExecution(Rehearsal r) {
    JsonNode executions = r.report().json().path("executions");
    assertThat(executions).hasSize(1);
    return executions.get(0);
  }

  /** The scenario's fraud-scoring profile, made inline so a test can change it. */
  static ObjectNode profile(ObjectNode scenario) {
    ObjectNode profiles = (ObjectNode) scenario.path("world").path("profiles");
    JsonNode p = profiles.get("fraud-scoring");
    if (p.isTextual()) {
      p = LocalJson.read(ROOT.resolve(p.asText()));
      profiles.set("fraud-scoring", p);
    }
    return (ObjectNode) p;
  }

  /** Runs events/scenarios/{@code file}, edited by {@code edit}, and hands the open run to {@code check}. */
  static void rehearse(String file, Consumer<ObjectNode> edit, Consumer<Rehearsal> check) {
    ObjectNode json = (ObjectNode) LocalJson.read(ROOT.resolve("events/scenarios").resolve(file));
    edit.accept(json);
    Scenario scenario = Scenario.parse(json, file, ROOT);
    long wallStart = System.nanoTime();
    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      ScenarioReport report = ScenarioRunner.runToEnd(scenario, runtime, wallStart);
      check.accept(new Rehearsal(report, runtime));
    }
  }

  static List<String> names(JsonNode array, String field) {
    return array.findValuesAsText(field);
  }
}
