package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import dev.poolshift.local.sns.SnsService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rollback during a shortage of the endpoint's own type: the way back to the original config
 * is a blue/green update onto that type, which SageMaker cannot provision. Traffic must never
 * stay on the new version, the workflow must not loop on the shortage, the outcome must say
 * where traffic is and what is left, and the reconciler finishes when capacity returns.
 */
class RollbackDuringShortageTest {
  private static final String ENDPOINT = "fraud-scoring-prod";
  private static final String ORIGINAL = "fraud-scoring-prod-config-initial";
  private static final Instant CAPACITY_RETURNS = Instant.parse("2026-06-01T15:00:00Z");

  @Test
  void trafficStaysOnTheBaselineVariantAndTheOutcomeSaysWhatIsLeftToCleanUp() {
    try (Rehearsal r = Rehearsal.of("rollback-during-shortage.json", s -> { })) {
      r.runUntil("the rollout execution ended", () -> r.runtime().stepFunctions().allExecutionsEnded()
          && !r.runtime().stepFunctions().executions().isEmpty(), Duration.ofHours(2));

      EndpointView ep = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      assertThat(ep.status()).isEqualTo("InService");
      assertThat(ep.configName()).as("SageMaker kept the canary config").startsWith(
          "fraud-scoring-prod-v2-canary-");
      assertThat(ep.trafficShareByModelPackage()).as("all traffic on v1, none on v2")
          .containsOnlyKeys("arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/1");
      assertThat(WorkflowInvariants.modelVersionsServing(ep)).hasSize(1);
      assertThat(WorkflowInvariants.stateItems(r.runtime())).as("the lock stays for the reconciler")
          .contains("ENDPOINT#" + ENDPOINT + "/LOCK");

      var execution = r.runtime().stepFunctions().executions().get(0).snapshot();
      assertThat(execution.error()).isEqualTo("Poolshift.RolledBack");
      assertThat(execution.cause())
          .contains("all traffic is on the baseline variant AllTraffic")
          .contains("could not return to its baseline config " + ORIGINAL)
          .contains("InsufficientInstanceCapacity")
          .contains("Left to clean up: the canary variant canary-v2 (weight 0)");
      assertThat(r.entered("Restore the original endpoint config")).as("one attempt, no loop")
          .isEqualTo(1);
      assertThat(r.entered("Rollback needs a person")).isZero();
      assertThat(published(r)).anySatisfy(m -> assertThat(m.subject())
          .contains("rolled back, cleanup pending").doesNotEndWith("..."));
    }
  }

  @Test
  void theReconcilerBacksOffWhileShortAndReturnsTheFleetWhenCapacityComesBack() {
    try (Rehearsal r = Rehearsal.of("rollback-during-shortage.json", s -> { })) {
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("ROLLED_BACK");
      List<Instant> attempts = r.accepted("UpdateEndpoint").stream()
          .filter(m -> m.resource() == null || m.resource().equals(ENDPOINT))
          .map(SageMakerMutation::time).toList();
      // canary config, the workflow's way back, then the reconciler's attempts
      List<Instant> retries = attempts.subList(2, attempts.size());
      for (int i = 1; i < retries.size(); i++) {
        assertThat(Duration.between(retries.get(i - 1), retries.get(i))).as("attempt %d", i + 1)
            .isGreaterThanOrEqualTo(Duration.ofMinutes(5));
      }
      assertThat(retries.stream().filter(t -> t.isBefore(CAPACITY_RETURNS)))
          .as("attempts in the 2 h 45 min of shortage: backing off to hourly").hasSizeBetween(3, 6);
      assertThat(retries.getLast()).as("the first attempt after capacity returns succeeds")
          .isAfter(CAPACITY_RETURNS).isBefore(CAPACITY_RETURNS.plus(Duration.ofHours(1)));

      EndpointView ep = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
      assertThat(ep.configName()).isEqualTo(ORIGINAL);
      assertThat(r.accepted("DeleteEndpointConfig")).as("the canary config, once nothing runs it")
          .singleElement().satisfies(m -> assertThat(m.resource()).contains("-canary-")
              .isNotEqualTo(ORIGINAL));
      JsonNode ledger = WorkflowInvariants.scan(r.runtime(), "LedgerTable").get(0);
      assertThat(ledger.path("outcome").path("S").asText()).isEqualTo("ROLLED_BACK");
      assertThat(ledger.path("configAfter").path("S").asText()).isEqualTo(ORIGINAL);
      assertThat(ledger.path("details").path("M").path("cleanup").path("M").path("attempts")
          .path("N").asInt()).isEqualTo(retries.size() + 1);
      assertThat(published(r)).anySatisfy(m -> assertThat(m.subject())
          .contains("rollback cleanup finished"));
      r.assertInvariants();
    }
  }

  private static List<SnsService.Message> published(Rehearsal r) {
    return r.runtime().sns().published();
  }
}
