package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.sns.SnsService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rollout that cannot finish is refused before it changes anything, and a start that is
 * refused or fails is never silent: on-call hears of it and the ledger records it. A plan failed
 * by throttling is tried again for an hour before it gives up, and the retry it then asks for
 * (a console deploy) is not blocked by the approval's execution name.
 */
class RefusedStartsTest {
  private static final String ENDPOINT = "fraud-scoring-prod";

  @Test
  void aScheduleLongerThanTheExecutionIsRejectedAtPlanTimeNamingTheFields() {
    try (Rehearsal r = Rehearsal.of("schedule-too-long.json", s -> { })) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("REJECTED");
      assertThat(execution.path("cause").asText()).contains("bakeSeconds: the schedule needs")
          .contains("canarySteps: has 3 steps");
      assertThat(execution.path("endedAtSeconds").asDouble() - execution.path("startedAtSeconds")
          .asDouble()).isLessThan(5);
      assertThat(r.report().json().path("sagemakerMutationCount").asInt()).isZero();
      assertThat(WorkflowInvariants.ledgerOutcomes(r.runtime()))
          .containsExactly(execution.path("name").asText() + "=REJECTED");
      assertThat(published(r)).singleElement().satisfies(m -> {
        assertThat(m.subject()).isEqualTo("Poolshift: deploy of fraud-scoring v2 to " + ENDPOINT
            + " rejected");
        assertThat(m.message()).contains("bakeSeconds").contains("\"action\": \"deploy\"");
      });
      r.assertInvariants();
    }
  }

  @Test
  void aPlanThrottledForHoursIsTriedAgainForAnHourThenReportedAndTheConsoleRetryIsPromoted() {
    try (Rehearsal r = Rehearsal.of("plan-throttled-to-failure.json", s -> { })) {
      r.finish();

      JsonNode first = r.executions().get(0);
      assertThat(first.path("outcome").asText()).isEqualTo("FAILED");
      assertThat(first.path("cause").asText()).contains("ThrottlingException");
      assertThat(r.entered("Wait before planning again")).isEqualTo(12);
      assertThat(first.path("endedAtSeconds").asDouble()).as("an hour of planning again")
          .isBetween(3600.0, 3 * 3600.0);
      assertThat(r.accepted("UpdateEndpoint")).as("nothing changed before the retry")
          .allSatisfy(m -> assertThat(r.seconds(m.time())).isGreaterThan(11400));
      assertThat(WorkflowInvariants.ledgerOutcomes(r.runtime()))
          .contains(first.path("name").asText() + "=FAILED");
      assertThat(published(r)).first().satisfies(m -> {
        assertThat(m.subject()).isEqualTo("Poolshift: deploy of fraud-scoring v2 to " + ENDPOINT
            + " did not start");
        assertThat(m.message()).contains("ThrottlingException")
            .contains("{\"action\": \"deploy\", \"modelPackageArn\": \"arn:aws:sagemaker:us-east-1:"
                + "111122223333:model-package/fraud-scoring/2\", \"endpointName\": \"" + ENDPOINT
                + "\"}");
      });
      assertThat(r.executions().get(1).path("outcome").asText()).isEqualTo("PROMOTED");
      r.assertInvariants();
    }
  }

  @Test
  void aBadVersionWhosePlanWasThrottledAtFirstIsRolledBackAndReportedLikeAnyOther() {
    // Throttling from before the approval until a few minutes after it: the first plan fails,
    // "Plan again later?" plans again once it clears, and the canary's 5xx alarm turns it around.
    try (Rehearsal r = Rehearsal.of("bad-model.json", s -> {
      com.fasterxml.jackson.databind.node.ArrayNode timeline = (com.fasterxml.jackson.databind.node.ArrayNode) s.get("timeline");
      timeline.insertObject(0).put("at", 30).putObject("fault").put("sagemaker", "throttle").put("rate", 1.0)
          .put("operation", "DescribeEndpointConfig");
      timeline.insertObject(1).put("at", 400).putObject("fault").put("sagemaker", "clearThrottling");
    })) {
      r.finish();

      assertThat(r.entered("Wait before planning again")).as("planned again").isPositive();
      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("ROLLED_BACK");
      JsonNode rollback = r.onlyRollback();
      assertThat(rollback.path("endpoint").asText()).isEqualTo(ENDPOINT);
      assertThat(rollback.path("tActSeconds").asDouble()).isBetween(0.0, 5.0);
      r.assertInvariants();
    }
  }

  private static List<SnsService.Message> published(Rehearsal r) {
    return r.runtime().sns().published();
  }
}
