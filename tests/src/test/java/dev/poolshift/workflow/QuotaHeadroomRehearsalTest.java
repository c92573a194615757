package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.EndpointView;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Quota headroom for the second fleet, rehearsed with the real template, workflow and handlers:
 * the plan reads Service Quotas and every endpoint's instances; SageMaker enforces the same
 * quotas across the account's endpoints.
 */
class QuotaHeadroomRehearsalTest {
  static final String ENDPOINT = "fraud-scoring-prod";
  static final String V1 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/1";

  /** events/scenarios/console-plan.json with quota-tight.json's quotas and second endpoint. */
  private static Rehearsal tightPlan(Consumer<ObjectNode> edit) {
    return Rehearsal.of("console-plan.json", s -> {
      ObjectNode tight = (ObjectNode) LocalJson.read(Rehearsal.ROOT.resolve("events/scenarios/quota-tight.json"));
      s.set("quotas", tight.get("quotas").deepCopy());
      ArrayNode endpoints = (ArrayNode) s.path("world").path("endpoints");
      endpoints.add(tight.path("world").path("endpoints").get(1).deepCopy());
      edit.accept(s);
    });
  }

  /** The baseline copy and the canary can go to any of the three pools: none has room left. */
  private static void noRoomOnAnyPool(ObjectNode s) {
    ((ObjectNode) s.path("quotas")).put("ml.g5.2xlarge", 3).put("ml.g5.4xlarge", 0)
        .put("ml.g6.2xlarge", 0);
  }

  private static JsonNode plan(Rehearsal r) {
    return r.onlyExecution().path("output").path("plan");
  }

  @Test
  void aDryRunReportsEachTypesQuotaUsageAndNeedWithZeroMutations() {
    try (Rehearsal r = tightPlan(s -> { })) {
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PLANNED");
      assertThat(LocalJson.MAPPER.convertValue(plan(r).path("risks"), String[].class))
          .anySatisfy(risk -> assertThat(risk).startsWith("ml.g5.2xlarge: quota 5, in use 3, this rollout needs up"
              + " to 4 more (while moving onto the canary config): pooled instances that do not fit go to the"
              + " variant's lower-priority pools"))
          .anySatisfy(risk -> assertThat(risk).startsWith("quota headroom for the second fleet").contains(
              "ml.g5.2xlarge quota 5, in use 3, needs up to 4 more; ml.g5.4xlarge quota 4, in use 0, needs up to 6"
                  + " more; ml.g6.2xlarge quota 4, in use 0, needs up to 6 more"))
          .noneSatisfy(risk -> assertThat(risk).contains("a deploy now would be refused"));
      assertThat(r.runtime().sageMaker().mutations()).as("SageMaker calls that change anything, even refused ones")
          .isEmpty();
      r.assertInvariants();
    }
  }

  @Test
  void aDryRunThatCannotReadServiceQuotasSaysSoAndStillPlans() {
    try (Rehearsal r = tightPlan(s -> { })) {
      r.runtime().serviceQuotas().faults().failNext("ListServiceQuotas", "AccessDeniedException",
          "User: arn:aws:sts::111122223333:assumed-role/x is not authorized to perform: servicequotas:ListServiceQuotas",
          1);
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PLANNED");
      assertThat(LocalJson.MAPPER.convertValue(plan(r).path("risks"), String[].class))
          .anySatisfy(risk -> assertThat(risk).startsWith("could not read the \"<type> for endpoint usage\" quotas"
              + " from Service Quotas (ListServiceQuotas sagemaker: AccessDeniedException:")
              .contains("check ml.g5.2xlarge, ml.g5.4xlarge, ml.g6.2xlarge by hand"))
          .noneSatisfy(risk -> assertThat(risk).startsWith("quota headroom for the second fleet"));
      assertThat(r.runtime().sageMaker().mutations()).isEmpty();
      r.assertInvariants();
    }
  }

  @Test
  void aDryRunWithoutRoomForTheBaselineCopySaysADeployWouldBeRefused() {
    try (Rehearsal r = tightPlan(QuotaHeadroomRehearsalTest::noRoomOnAnyPool)) {
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PLANNED");
      assertThat(LocalJson.MAPPER.convertValue(plan(r).path("risks"), String[].class))
          .anySatisfy(risk -> assertThat(risk).startsWith("a deploy now would be refused before touching the"
              + " endpoint: variant AllTraffic of the canary config has no pool with quota headroom:"
              + " ml.g5.2xlarge (quota 3, in use 3), ml.g5.4xlarge (quota 0, in use 0)"));
      assertThat(r.runtime().sageMaker().mutations()).isEmpty();
    }
  }

  @Test
  void aDeployWithoutRoomForTheCanaryConfigIsRefusedBeforeTouchingAnything() {
    try (Rehearsal r = Rehearsal.of("quota-tight.json", QuotaHeadroomRehearsalTest::noRoomOnAnyPool)) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("FAILED");
      assertThat(execution.path("error").asText()).isEqualTo("dev.poolshift.rollout.ResourceLimitExceededException");
      assertThat(execution.path("cause").asText()).contains("has no pool with quota headroom")
          .contains("was not started and nothing was changed");
      assertThat(r.entered("Rollout failed before touching the endpoint")).isEqualTo(1);
      assertThat(r.runtime().sageMaker().mutations()).as("not even a model or a config").isEmpty();
      assertThat(r.runtime().cloudWatch().alarms()).as("no canary alarm created").hasSize(1);
      r.assertInvariants();
    }
  }

  @Test
  void theQuotaTightScenarioLandsTheCanaryOnTheNextPoolAndPromotes() {
    try (Rehearsal r = Rehearsal.of("quota-tight.json", s -> { })) {
      r.runUntilState("Bake under alarms");
      EndpointView duringCanary = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(r.rejected("ResourceLimitExceeded")).isEmpty();
      assertThat(r.logsContaining("RolloutStepsFunction", "quota headroom checked")).singleElement()
          .satisfies(l -> assertThat(l.text()).contains("\"ml.g5.2xlarge\":5").contains("\"ml.g5.2xlarge\":3"));
      assertThat(duringCanary.variants()).filteredOn(v -> !v.name().equals("AllTraffic")).singleElement()
          .satisfies(canary -> assertThat(canary.servingByInstanceType()).as("no g5.2xlarge quota left for it")
              .isEqualTo(java.util.Map.of("ml.g5.4xlarge", 2)));
      assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).variant("AllTraffic").orElseThrow()
          .servingByInstanceType()).as("the old fleet gone, the promoted fleet fits on its first pool")
          .isEqualTo(java.util.Map.of("ml.g5.2xlarge", 2));
      r.assertInvariants();
    }
  }

  @Test
  void anUpdateSageMakerRefusesOnQuotaLeavesTheEndpointOnItsBaseline() {
    // The g6 pool has quota 0: the plan reports it (unconfirmed whether SageMaker refuses a pooled
    // update for it, so the plan does not refuse); the simulator takes the harsher reading.
    try (Rehearsal r = Rehearsal.of("quota-tight.json", s -> ((ObjectNode) s.path("quotas")).put("ml.g6.2xlarge", 0))) {
      String baselineConfig = r.runtime().sageMaker().requireEndpoint(ENDPOINT).configName();
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).as("no traffic ever moved").isEqualTo("FAILED");
      assertThat(execution.path("cause").asText()).contains("no traffic moved")
          .contains("'ml.g6.2xlarge for endpoint usage' is 0 Instances");
      assertThat(r.rejected("ResourceLimitExceeded")).singleElement()
          .satisfies(m -> assertThat(m.operation()).isEqualTo("UpdateEndpoint"));
      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      assertThat(endpoint.configName()).isEqualTo(baselineConfig);
      assertThat(WorkflowInvariants.modelVersionsServing(endpoint)).containsExactly(V1);
      r.assertInvariants();
    }
  }
}
