package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rejecting a version in the Model Registry takes it out of service wherever Poolshift has it:
 * promoted (a rollback to the release before it starts), queued for the endpoint (woken and
 * refused at once), and never the target of a later rollback.
 */
class RejectionOfTheLiveVersionTest {
  private static final String ENDPOINT = "fraud-scoring-prod";
  private static final String V1 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/1";
  private static final String INITIAL = "fraud-scoring-prod-config-initial";

  @Test
  void rejectingThePromotedVersionReturnsTheEndpointToThePreviousReleaseAndALaterBadVersionRollsBackOntoThat() {
    try (Rehearsal r = Rehearsal.of("rejection-after-promotion.json", s -> { })) {
      r.finish();

      assertThat(outcomes(r)).containsExactly("PROMOTED", "ROLLED_BACK", "ROLLED_BACK");
      JsonNode rollback = r.executions().get(1);
      assertThat(rollback.path("name").asText()).startsWith("fraud-scoring-v2-rejected-");
      assertThat(rollback.path("startedAtSeconds").asDouble()).as("started by the rejection event")
          .isBetween(7200.0, 7205.0);
      Instant rejected = r.start().plusSeconds(7200);
      List<SageMakerMutation> updatesAfter = r.accepted("UpdateEndpoint").stream()
          .filter(m -> m.time().isAfter(rejected)).toList();
      assertThat(updatesAfter).as("the way back, then v3's canary, then v3's way back")
          .extracting(SageMakerMutation::resource).noneMatch(c -> c.contains("-v2-"));
      var ep = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      assertThat(ep.configName()).isEqualTo(INITIAL);
      assertThat(ep.trafficShareByModelPackage()).containsOnlyKeys(V1);
      assertThat(r.runtime().sns().published()).anySatisfy(m -> assertThat(m.message())
          .contains("was rejected in the Model Registry"));
      r.assertInvariants();
    }
  }

  @Test
  void theReportSaysARejectionStartedTheRollbackNotThatNoAlarmDid() {
    try (Rehearsal r = Rehearsal.of("rejection-after-promotion.json", s -> { })) {
      r.finish();

      String summary = r.report().summary();
      assertThat(summary.lines().filter(l -> l.startsWith("rollback fraud-scoring-v2-rejected-")))
          .singleElement().asString().contains("no alarm, started by registry-rejection");
    }
  }

  @Test
  void aQueuedRolloutOfARejectedVersionIsRefusedAtOnceNotWhenTheEndpointFreesUp() {
    try (Rehearsal r = Rehearsal.of("second-approval-queued.json", s -> Rehearsal.at(s, 600, "reject",
        LocalJson.object().put("modelPackage", "fraud-scoring/3")))) {
      r.finish();

      JsonNode v3 = r.executions().get(1);
      assertThat(v3.path("outcome").asText()).isEqualTo("REJECTED");
      assertThat(v3.path("cause").asText()).contains("ModelApprovalStatus=Rejected");
      assertThat(v3.path("endedAtSeconds").asDouble()).as("woken by the rejection, not by v2's end")
          .isBetween(600.0, 610.0);
      assertThat(r.executions().get(0).path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(r.runtime().sns().published()).anySatisfy(m -> assertThat(m.subject())
          .contains("fraud-scoring v3").contains("rejected"));
      assertThat(WorkflowInvariants.ledgerOutcomes(r.runtime()))
          .contains(v3.path("name").asText() + "=REJECTED");
      r.assertInvariants();
    }
  }

  @Test
  void aRollbackWalksOverAReleaseRejectedSinceItServed() {
    try (Rehearsal r = Rehearsal.of("second-approval-queued.json", s -> {
      Rehearsal.at(s, 9000, "reject", LocalJson.object().put("modelPackage", "fraud-scoring/2"));
      ObjectNode rollback = LocalJson.object();
      rollback.set("input", LocalJson.read(java.nio.file.Path.of("events/console/rollback.json")));
      Rehearsal.at(s, 9600, "startExecution", rollback);
    })) {
      r.finish();

      assertThat(outcomes(r)).as("v2, v3, the console rollback").containsExactly("PROMOTED",
          "PROMOTED", "ROLLED_BACK");
      assertThat(r.logsContaining("RolloutStepsFunction", "rollback to the previous release planned"))
          .singleElement().satisfies(l -> assertThat(l.text()).contains(INITIAL));
      var ep = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      assertThat(ep.configName()).as("back past the rejected v2 to v1").isEqualTo(INITIAL);
      assertThat(ep.trafficShareByModelPackage()).containsOnlyKeys(V1);
      r.assertInvariants();
    }
  }

  private static List<String> outcomes(Rehearsal r) {
    return r.executions().valueStream().map(x -> x.path("outcome").asText()).toList();
  }
}
