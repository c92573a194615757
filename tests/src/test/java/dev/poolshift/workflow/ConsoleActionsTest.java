package dev.poolshift.workflow;

import static dev.poolshift.workflow.RolloutScenarioTest.rehearse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every console action, started from its {@code events/console/} input by a scenario's timeline
 * and run on the local runtime with the real template, workflow and handlers.
 */
class ConsoleActionsTest {
  static final String V1 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/1";
  static final String V2 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/2";
  static final String ENDPOINT = "fraud-scoring-prod";

  @Test
  void aPlanReportsTheDiffAndRisksWithZeroMutations() {
    rehearse("console-plan.json", s -> {}, r -> {
      JsonNode execution = RolloutScenarioTest.onlyExecution(r);
      assertThat(execution.path("outcome").asText()).isEqualTo("PLANNED");
      JsonNode plan = execution.path("output").path("plan");
      assertThat(plan.path("configDiff").findValuesAsText("path"))
          .contains("ProductionVariants[AllTraffic].InstancePools", "ProductionVariants[AllTraffic].InstanceType");
      assertThat(plan.path("risks").toString()).contains("fallback hardware").contains("g6-int8")
          .contains("up to 6 × ml.g5.2xlarge while moving onto the canary config");
      assertThat(r.runtime().sageMaker().mutations()).as("SageMaker calls that change anything, even refused ones").isEmpty();
      assertThat(WorkflowInvariants.ledgerOutcomes(r.runtime())).as("a plan is not a rollout").isEmpty();
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  @Test
  void aPlanNamesAGateAlarmAlreadyInAlarm() {
    rehearse("console-plan.json", s -> {
      // The latency alarm breaches from the start: the 1-minute p99 of v1 is 150 ms.
      ObjectNode models = (ObjectNode) s.path("traffic").path("models");
      ((ObjectNode) models.path("fraud-scoring/1")).put("latencyP99Ms", 150).put("latencyP50Ms", 120);
      ((ObjectNode) s.path("timeline").get(0)).put("at", 900);
    }, r -> {
      JsonNode plan = RolloutScenarioTest.onlyExecution(r).path("output").path("plan");
      assertThat(plan.path("risks").toString())
          .contains("gate alarm fraud-scoring-prod-model-latency-p99 is in ALARM now");
      assertThat(r.runtime().sageMaker().mutations()).isEmpty();
    });
  }

  @Test
  void aPlanSaysPoolshiftDeregistersAnAutoscaledVariantAroundAnInstanceTypeChange() {
    ObjectNode json = (ObjectNode) LocalJson.read(RolloutScenarioTest.ROOT.resolve("events/scenarios/console-plan.json"));
    dev.poolshift.local.scenario.Scenario scenario = dev.poolshift.local.scenario.Scenario.parse(json, "plan",
        RolloutScenarioTest.ROOT);
    try (var runtime = dev.poolshift.local.scenario.ScenarioRunner.start(scenario,
        dev.poolshift.local.runtime.LocalRuntime.Options.of(scenario.template()))) {
      runtime.autoScaling().registerVariant(ENDPOINT, "AllTraffic", 2, 6);

      var report = dev.poolshift.local.scenario.ScenarioRunner.runToEnd(scenario, runtime, System.nanoTime());

      JsonNode plan = report.json().path("executions").get(0).path("output").path("plan");
      assertThat(plan.path("risks").toString()).contains("variant AllTraffic is autoscaled"
          + " (endpoint/fraud-scoring-prod/variant/AllTraffic, min 2, max 6, policies [])")
          .contains("its instance type changes").contains("Poolshift deregisters the scalable target")
          .contains("is not autoscaled: it keeps the instance count it has when the rollout starts");
      assertThat(runtime.sageMaker().mutations()).isEmpty();
    }
  }

  @Test
  void migrateMovesTheServedModelOntoPoolsThroughACanary() {
    rehearse("console-migrate.json", s -> {}, r -> {
      JsonNode execution = RolloutScenarioTest.onlyExecution(r);
      assertThat(execution.path("outcome").asText()).isEqualTo("PROMOTED");
      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      assertThat(endpoint.variants()).singleElement().satisfies(v -> assertThat(v.servingInstances())
          .allSatisfy(i -> assertThat(i.modelPackageArn()).as("the model did not change").isEqualTo(V1)));
      JsonNode variant = r.runtime().sageMaker().invoke("DescribeEndpointConfig",
          LocalJson.object().put("EndpointConfigName", endpoint.configName())).path("ProductionVariants").get(0);
      assertThat(variant.path("InstancePools").findValuesAsText("InstanceType"))
          .as("exactly the pools the input ranked").containsExactly("ml.g5.2xlarge", "ml.g6.2xlarge");
      assertThat(variant.path("InstancePools").get(1).path("ModelNameOverride").asText()).contains("g6-int8");
      assertThat(operations(r.runtime().sageMaker().mutations())).as("canaried: weights shifted in steps")
          .filteredOn("UpdateEndpointWeightsAndCapacities"::equals).hasSize(3);
      Map<String, Object> record = ledger(r, execution.path("name").asText());
      assertThat(record).containsEntry("outcome", "PROMOTED");
      assertThat(record.get("details").toString()).contains("action=migrate").contains("overridden=[instancePools]");
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void rollbackReturnsToTheReleaseTheLedgerRecordsBeforeTheCurrentOne() {
    rehearse("console-rollback.json", s -> {}, r -> {
      JsonNode rollout = execution(r, "fraud-scoring-v2");
      JsonNode rollback = execution(r, "rollback-fraud-scoring-prod");
      assertThat(rollout.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(rollback.path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(rollback.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(rollback.path("output").path("undoes").asText()).isEqualTo(rollout.path("name").asText());
      assertThat(rollback.path("output").path("modelPackageArn").asText()).isEqualTo(V1);

      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      assertThat(endpoint.configName()).isEqualTo("fraud-scoring-prod-config-initial");
      assertThat(endpoint.variants()).singleElement().satisfies(v -> assertThat(v.servingInstances())
          .allSatisfy(i -> assertThat(i.modelPackageArn()).isEqualTo(V1)));
      List<SageMakerMutation> byRollback = r.runtime().sageMaker().mutations().stream()
          .filter(m -> !m.time().isBefore(java.time.Instant.parse("2026-06-01T13:15:00Z"))).toList();
      assertThat(operations(byRollback)).as("one blue/green update, nothing created or deleted")
          .containsExactly("UpdateEndpoint");

      Map<String, Object> record = ledger(r, "rollback-fraud-scoring-prod");
      assertThat(record).containsEntry("outcome", "ROLLED_BACK")
          .containsEntry("configBefore", endpointConfigOf(rollout))
          .containsEntry("configAfter", "fraud-scoring-prod-config-initial");
      assertThat(record.get("details").toString()).contains("action=rollback")
          .contains("reason=p99 doubled since v2 went out (INC-4711)").contains("by=oncall@example.com");
      assertThat(r.runtime().sns().published().toString()).contains("rolled back to its previous release");
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void rollingBackTwiceWalksBackTwiceNotBackAndForth() {
    rehearse("console-rollback.json", s -> {
      // v2 promoted, then v3 promoted; two rollbacks must end on v1, not flip between v2 and v3.
      ArrayNode versions = (ArrayNode) s.path("world").path("modelPackageGroups").get(0).path("versions");
      ObjectNode v3 = versions.get(1).deepCopy();
      v3.put("approval", "PendingManualApproval");
      versions.add(v3);
      ArrayNode timeline = (ArrayNode) s.path("timeline");
      timeline.remove(1);
      timeline.addObject().put("at", 3600).putObject("approve").put("modelPackage", "fraud-scoring/3");
      timeline.addObject().put("at", 3 * 3600).putObject("startExecution")
          .put("input", "events/console/rollback.json").put("name", "rollback-1");
      timeline.addObject().put("at", 4 * 3600).putObject("startExecution")
          .put("input", "events/console/rollback.json").put("name", "rollback-2");
    }, r -> {
      assertThat(execution(r, "rollback-1").path("output").path("modelPackageArn").asText()).isEqualTo(V2);
      assertThat(execution(r, "rollback-2").path("output").path("modelPackageArn").asText()).isEqualTo(V1);
      assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).configName())
          .isEqualTo("fraud-scoring-prod-config-initial");
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void promoteSkipsTheRestOfTheBakeAndReportsThePromotion() {
    rehearse("console-promote.json", s -> {}, r -> {
      JsonNode rollout = execution(r, "fraud-scoring-v2");
      JsonNode promote = execution(r, "promote-fraud-scoring-v2");
      assertThat(rollout.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(promote.path("outcome").asText()).isEqualTo("DELIVERED");
      assertThat(promote.path("output").path("rolloutOutcome").asText()).isEqualTo("PROMOTED");
      assertThat(promote.path("output").path("delivered").toString()).contains("BAKE");
      // Without the promote, too little traffic holds the first step for a person (about
      // 51 minutes in) and then rolls back; promoted at 25 minutes, it is done well before.
      assertThat(rollout.path("endedAtSeconds").asDouble()).isLessThan(2700);
      assertThat(operations(r.runtime().sageMaker().mutations()))
          .filteredOn("UpdateEndpointWeightsAndCapacities"::equals).as("only the first step's shift").hasSize(1);
      String history = ledger(r, rollout.path("name").asText()).get("details").toString();
      assertThat(history).contains("kind=operator").contains("action=promote")
          .contains("promoted by alice@example.com from the console");
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void promoteDecidesAStepHeldForAPerson() {
    rehearse("console-promote.json", s -> {
      // At 55 minutes the first step has given up waiting for data and holds for a person.
      ((ObjectNode) s.path("timeline").get(1)).put("at", 3300);
    }, r -> {
      JsonNode promote = execution(r, "promote-fraud-scoring-v2");
      assertThat(promote.path("output").path("delivered").toString()).contains("HOLD");
      assertThat(promote.path("output").path("rolloutOutcome").asText()).isEqualTo("PROMOTED");
      assertThat(r.runtime().sns().published().toString()).contains("holds at 10% canary");
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void continueMovesAHeldStepToTheNextCanaryWeightOnlyAndTheRolloutGoesOnToPromote() {
    try (Rehearsal r = Rehearsal.of("console-continue.json", s -> {})) {
      r.runUntilState("Hold for an operator");
      assertThat(canaryWeight(r)).as("held at the first step").isCloseTo(0.1, within(1e-9));

      r.runUntilState("Operator decision?");
      r.runUntil("the endpoint serves the step after the hold", () -> {
        EndpointView e = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
        return "InService".equals(e.status()) && Math.abs(canaryWeight(r) - 0.1) > 1e-9;
      }, java.time.Duration.ofMinutes(30));

      assertThat(canaryWeight(r)).as("the second step's weight (50%), not all traffic").isCloseTo(0.5, within(1e-9));
      assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).currentWeights())
          .containsEntry("AllTraffic", 0.5);

      r.finish();
      JsonNode rollout = executionOf(r, "fraud-scoring-v2");
      JsonNode action = executionOf(r, "continue-fraud-scoring-v2");
      assertThat(rollout.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(action.path("outcome").asText()).isEqualTo("DELIVERED");
      assertThat(action.path("output").path("action").asText()).isEqualTo("continue");
      assertThat(action.path("output").path("rolloutOutcome").asText()).isEqualTo("PROMOTED");
      assertThat(action.path("output").path("delivered").toString()).contains("HOLD:DELIVERED");
      assertThat(r.accepted("UpdateEndpointWeightsAndCapacities")).as("10%, then 50%, then 100%: no step skipped")
          .hasSize(3);
      assertThat(r.entered("Hold for an operator")).as("the 50% step had the traffic to pass").isEqualTo(1);
      String history = ledgerDetails(r, rollout.path("name").asText());
      assertThat(history).contains("kind=operator").contains("action=continue").contains("by=oncall@example.com")
          .contains("delivered=[HOLD:DELIVERED]");
      r.assertInvariants();
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    }
  }

  @Test
  void continueWhileTheStepStillBakesIsRefusedAndChangesNothing() {
    try (Rehearsal r = Rehearsal.of("console-continue.json", s -> Rehearsal.at(s, 1500, "startExecution",
        LocalJson.object().put("input", "events/console/continue.json").put("name", "early-continue")))) {
      r.finish();

      JsonNode early = executionOf(r, "early-continue");
      assertThat(early.path("outcome").asText()).isEqualTo("REJECTED");
      assertThat(early.path("cause").asText()).contains("is not held for an operator (it is baking step 0 at 10%):"
          + " continue applies to a held step; use promote to skip the remaining bake");
      assertThat(r.entered("Hold for an operator")).as("the first step still baked to its end and held").isEqualTo(1);
      String history = ledgerDetails(r, executionOf(r, "fraud-scoring-v2").path("name").asText());
      assertThat(history).as("only the continue at the hold reached the rollout")
          .containsOnlyOnce("kind=operator");
      assertThat(executionOf(r, "fraud-scoring-v2").path("outcome").asText()).isEqualTo("PROMOTED");
      r.assertInvariants();
    }
  }

  @Test
  void abortRollsTheRunningCanaryBackWithoutTouchingTheEndpointItself() {
    rehearse("console-abort.json", s -> {}, r -> {
      JsonNode rollout = execution(r, "fraud-scoring-v2");
      JsonNode abort = execution(r, "abort-fraud-scoring-v2");
      assertThat(rollout.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(rollout.path("cause").asText()).contains("oncall@example.com aborted the rollout from the console");
      assertThat(abort.path("output").path("rolloutOutcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(abort.path("output").path("delivered").toString()).contains("BAKE");
      // The rollback's first write (the weights) follows the abort at once: no polling between.
      SageMakerMutation reset = r.runtime().sageMaker().mutations().stream()
          .filter(m -> !m.time().isBefore(java.time.Instant.parse("2026-06-01T12:25:00Z"))).findFirst().orElseThrow();
      assertThat(reset.operation()).isEqualTo("UpdateEndpointWeightsAndCapacities");
      assertThat(java.time.Duration.between(java.time.Instant.parse("2026-06-01T12:25:00Z"), reset.time()))
          .isLessThan(java.time.Duration.ofSeconds(5));
      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      assertThat(endpoint.configName()).isEqualTo("fraud-scoring-prod-config-initial");
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
      assertThat(EndpointWriters.writers(r.runtime()).values()).as("every endpoint write was the rollout's own")
          .allSatisfy(who -> assertThat(who).containsExactly(rollout.path("name").asText()));
    });
  }

  @Test
  void actionsOnAnIdleEndpointAreRejectedWithTheReason() {
    rehearse("console-plan.json", s -> {
      ArrayNode timeline = (ArrayNode) s.path("timeline");
      timeline.removeAll();
      timeline.addObject().put("at", 60).putObject("startExecution").put("input", "events/console/abort.json").put("name", "abort");
      timeline.addObject().put("at", 60).putObject("startExecution").put("input", "events/console/promote.json").put("name", "promote");
      timeline.addObject().put("at", 60).putObject("startExecution").put("input", "events/console/rollback.json").put("name", "rollback");
    }, r -> {
      assertThat(execution(r, "abort").path("outcome").asText()).isEqualTo("REJECTED");
      assertThat(execution(r, "abort").path("cause").asText())
          .contains("endpointName: no rollout is running on endpoint fraud-scoring-prod: nothing to abort")
          .contains("use action rollback");
      assertThat(execution(r, "promote").path("cause").asText()).contains("nothing to promote");
      assertThat(execution(r, "rollback").path("outcome").asText()).isEqualTo("REJECTED");
      assertThat(execution(r, "rollback").path("cause").asText())
          .contains("the ledger records no promotion that put it there");
      assertThat(r.runtime().sageMaker().mutations()).isEmpty();
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  // ---------------------------------------------------------------- helpers

  static double canaryWeight(Rehearsal r) {
    return r.runtime().sageMaker().requireEndpoint(ENDPOINT).currentWeights().entrySet().stream()
        .filter(w -> !w.getKey().equals("AllTraffic")).mapToDouble(Map.Entry::getValue).sum();
  }

  static JsonNode executionOf(Rehearsal r, String namePrefix) {
    for (JsonNode x : r.executions()) {
      if (x.path("name").asText().startsWith(namePrefix)) {
        return x;
      }
    }
    throw new AssertionError("no execution named " + namePrefix + "… in " + r.executions());
  }

  /** The rollout's ledger details (its history) as plain text. */
  static String ledgerDetails(Rehearsal r, String executionName) {
    for (JsonNode item : WorkflowInvariants.scan(r.runtime(), "LedgerTable")) {
      if (item.path("executionName").path("S").asText().equals(executionName)) {
        return String.valueOf(plain(item.path("details")));
      }
    }
    throw new AssertionError("no ledger record of " + executionName);
  }

  static JsonNode execution(RolloutScenarioTest.Rehearsal r, String namePrefix) {
    for (JsonNode x : r.report().json().path("executions")) {
      if (x.path("name").asText().startsWith(namePrefix)) {
        return x;
      }
    }
    throw new AssertionError("no execution named " + namePrefix + "… in " + r.report().json().path("executions"));
  }

  static String endpointConfigOf(JsonNode execution) {
    return execution.path("output").path("endpointConfigName").asText();
  }

  static List<String> operations(List<SageMakerMutation> mutations) {
    List<String> out = new ArrayList<>();
    mutations.stream().filter(SageMakerMutation::accepted).forEach(m -> out.add(m.operation()));
    return out;
  }

  /** The execution's ledger record as plain values (details flattened by toString). */
  static Map<String, Object> ledger(RolloutScenarioTest.Rehearsal r, String executionName) {
    for (JsonNode item : WorkflowInvariants.scan(r.runtime(), "LedgerTable")) {
      if (item.path("executionName").path("S").asText().equals(executionName)) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        item.fields().forEachRemaining(f -> out.put(f.getKey(), plain(f.getValue())));
        return out;
      }
    }
    throw new AssertionError("no ledger record of " + executionName);
  }

  /** A DynamoDB attribute value as plain Java values. */
  static Object plain(JsonNode a) {
    if (a.has("S")) {
      return a.get("S").asText();
    }
    if (a.has("N")) {
      return a.get("N").asText();
    }
    if (a.has("BOOL")) {
      return a.get("BOOL").asBoolean();
    }
    if (a.has("NULL")) {
      return null;
    }
    if (a.has("L")) {
      List<Object> l = new ArrayList<>();
      a.get("L").forEach(v -> l.add(plain(v)));
      return l;
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    a.path("M").fields().forEachRemaining(f -> m.put(f.getKey(), plain(f.getValue())));
    return m;
  }
}
