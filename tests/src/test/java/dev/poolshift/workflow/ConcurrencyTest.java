package dev.poolshift.workflow;

import static dev.poolshift.workflow.ConsoleActionsTest.execution;
import static dev.poolshift.workflow.RolloutScenarioTest.profile;
import static dev.poolshift.workflow.RolloutScenarioTest.rehearse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.sagemaker.EndpointView;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A second rollout for an endpoint another one holds follows the profile's concurrency policy,
 * and whatever the policy, no two executions ever write to one endpoint: checked from the
 * executions' histories and the SageMaker mutation log ({@link EndpointWriters}).
 */
class ConcurrencyTest {
  static final String V3 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/3";

  @Test
  void underQueueTheSecondApprovalWaitsThenGoesOutFromTheFirstOnesResult() {
    rehearse("second-approval-queued.json", s -> {}, r -> {
      JsonNode v2 = execution(r, "fraud-scoring-v2");
      JsonNode v3 = execution(r, "fraud-scoring-v3");
      assertThat(v2.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(v3.path("outcome").asText()).isEqualTo("PROMOTED");
      EndpointWriters.Hold first = hold(r, v2.path("name").asText());
      EndpointWriters.Hold second = hold(r, v3.path("name").asText());
      assertThat(second.from()).as("v3 takes the endpoint only after v2 let go").isAfter(first.until());
      assertThat(java.time.Duration.between(first.until(), second.from()))
          .as("woken by v2's release, not by polling").isLessThan(java.time.Duration.ofSeconds(10));
      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint("fraud-scoring-prod");
      assertThat(endpoint.variants()).singleElement().satisfies(v -> assertThat(v.servingInstances())
          .allSatisfy(i -> assertThat(i.modelPackageArn()).isEqualTo(V3)));
      assertThat(ConsoleActionsTest.ledger(r, v3.path("name").asText()))
          .as("v3 planned again from what v2 left").containsEntry("configBefore", v2.path("output").path("endpointConfigName").asText());
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void twoApprovalsAtOnceNeverBothWriteTheLoserOfTheLockRacePlansAgainAndQueues() {
    rehearse("second-approval-queued.json", s -> ((ObjectNode) s.path("timeline").get(1)).put("at", 60), r -> {
      JsonNode v2 = execution(r, "fraud-scoring-v2");
      JsonNode v3 = execution(r, "fraud-scoring-v3");
      assertThat(v2.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(v3.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(EndpointWriters.holds(r.runtime())).hasSize(2);
      assertThat(r.runtime().lambda().logs()).as("both planned before either locked")
          .anyMatch(l -> l.text().contains("endpoint locked by another rollout since the plan; planning again"));
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void aQueuedRolloutGivesUpAfterTheProfilesBoundHavingChangedNothing() {
    rehearse("second-approval-queued.json", s -> profile(s).put("queueWaitSeconds", 600), r -> {
      JsonNode v2 = execution(r, "fraud-scoring-v2");
      JsonNode v3 = execution(r, "fraud-scoring-v3");
      assertThat(v2.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(v3.path("outcome").asText()).isEqualTo("REJECTED");
      assertThat(v3.path("error").asText()).isEqualTo("dev.poolshift.rollout.EndpointLockedException");
      assertThat(v3.path("cause").asText()).contains("endpoint fraud-scoring-prod still locked by execution "
          + v2.path("name").asText() + " after waiting the profile queueWaitSeconds (600 s, concurrencyPolicy queue)");
      assertThat(v3.path("endedAtSeconds").asDouble() - v3.path("startedAtSeconds").asDouble()).isBetween(600.0, 660.0);
      assertThat(EndpointWriters.holds(r.runtime())).extracting(EndpointWriters.Hold::execution)
          .containsExactly(v2.path("name").asText());
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  @Test
  void underRejectTheSecondApprovalIsRefusedNamingTheHolder() {
    rehearse("second-approval-queued.json", s -> profile(s).put("concurrencyPolicy", "reject"), r -> {
      JsonNode v2 = execution(r, "fraud-scoring-v2");
      JsonNode v3 = execution(r, "fraud-scoring-v3");
      assertThat(v2.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(v3.path("outcome").asText()).isEqualTo("REJECTED");
      assertThat(v3.path("cause").asText()).contains("endpoint fraud-scoring-prod locked by execution "
          + v2.path("name").asText() + " (concurrencyPolicy reject");
      assertThat(v3.path("endedAtSeconds").asDouble() - v3.path("startedAtSeconds").asDouble()).isLessThan(5);
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void underSupersedeTheRunningCanaryReturnsToItsBaselineBeforeTheNewOneStarts() {
    rehearse("second-approval-superseded.json", s -> {}, r -> {
      JsonNode v2 = execution(r, "fraud-scoring-v2");
      JsonNode v3 = execution(r, "fraud-scoring-v3");
      assertThat(v2.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(v2.path("cause").asText()).contains("superseded by execution " + v3.path("name").asText());
      assertThat(v3.path("outcome").asText()).isEqualTo("PROMOTED");
      EndpointWriters.Hold first = hold(r, v2.path("name").asText());
      EndpointWriters.Hold second = hold(r, v3.path("name").asText());
      assertThat(second.from()).isAfter(first.until());
      // The reset began at once: v2's first write after v3 arrived is its weights going back.
      Instant arrived = Instant.parse("2026-06-01T12:25:00Z");
      var reset = r.runtime().sageMaker().mutations().stream().filter(m -> !m.time().isBefore(arrived)).findFirst().orElseThrow();
      assertThat(reset.operation()).isEqualTo("UpdateEndpointWeightsAndCapacities");
      assertThat(reset.time()).isBefore(arrived.plusSeconds(5));
      assertThat(ConsoleActionsTest.ledger(r, v3.path("name").asText()))
          .as("v3 starts from the baseline v2 returned to").containsEntry("configBefore", "fraud-scoring-prod-config-initial");
      assertThat(ConsoleActionsTest.ledger(r, v2.path("name").asText()).get("details").toString())
          .contains("kind=superseded");
      WorkflowInvariants.assertHold(r.runtime(), r.report());
      EndpointWriters.assertOneWriterAtATime(r.runtime());
    });
  }

  @Test
  void aDryRunWhileAnotherRolloutHoldsTheEndpointSaysWhoAndWhatADeployWouldDo() {
    rehearse("second-approval-queued.json", s -> {
      ArrayNode timeline = (ArrayNode) s.path("timeline");
      timeline.remove(1);
      ObjectNode plan = timeline.addObject().put("at", 900).putObject("startExecution");
      plan.put("name", "plan-while-locked").putObject("input").put("action", "plan")
          .put("endpointName", "fraud-scoring-prod").put("modelPackageArn", V3.replace("/3", "/1"));
    }, r -> {
      JsonNode plan = execution(r, "plan-while-locked");
      assertThat(plan.path("outcome").asText()).isEqualTo("PLANNED");
      assertThat(plan.path("output").path("plan").path("risks").toString())
          .contains("endpoint fraud-scoring-prod locked by execution fraud-scoring-v2")
          .contains("wait up to 14400 s for it to end (concurrencyPolicy queue)");
      assertThat(EndpointWriters.holds(r.runtime())).extracting(EndpointWriters.Hold::execution)
          .containsExactly(execution(r, "fraud-scoring-v2").path("name").asText());
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  static EndpointWriters.Hold hold(RolloutScenarioTest.Rehearsal r, String execution) {
    return EndpointWriters.holds(r.runtime()).stream().filter(h -> h.execution().equals(execution))
        .findFirst().orElseThrow(() -> new AssertionError(execution + " never held the endpoint"));
  }
}
