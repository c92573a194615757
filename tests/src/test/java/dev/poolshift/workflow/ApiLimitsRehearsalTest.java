package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.rollout.port.RolloutMetrics;
import org.junit.jupiter.api.Test;

/**
 * The account's SageMaker request-rate limits in a rehearsal: calls over the limit are throttled
 * as SageMaker throttles them, the SDK retries them on the virtual clock, and the ledger entry
 * says how many retries the rollout took.
 */
class ApiLimitsRehearsalTest {

  @Test
  void aRolloutUnderTightAccountLimitsIsPromotedAndItsLedgerEntryCountsTheRetries() {
    long wallStart = System.nanoTime();
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
      ObjectNode limits = s.with("world").putObject("sagemakerApiLimits");
      limits.putObject("account").put("ratePerSecond", 2).put("burst", 2);
      limits.putObject("DescribeEndpoint").put("ratePerSecond", 0.5).put("burst", 1);
    })) {
      r.finish();
      long throttled = r.runtime().sageMaker().rateLimitedCalls();
      JsonNode ledger = ledgerOf(r, r.onlyExecution().path("name").asText());

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(throttled).as("calls the limits throttled").isPositive();
      assertThat(retries(ledger)).as("ledger sageMakerRetries, at most the calls the limits throttled")
          .isPositive().isLessThanOrEqualTo(throttled);
      double emitted = r.runtime().embeddedMetrics().extracted().stream()
          .filter(e -> e.metricName().equals(RolloutMetrics.Names.SAGEMAKER_RETRIES))
          .mapToDouble(e -> e.values().get(0)).sum();
      assertThat(emitted).as("SageMakerRetries metric: the ledger's count plus the recording step's own")
          .isGreaterThanOrEqualTo(retries(ledger)).isLessThanOrEqualTo(throttled);
    }
    assertThat((System.nanoTime() - wallStart) / 1_000_000).as("wall millis").isLessThan(60_000);
  }

  @Test
  void withoutLimitsNoCallIsRateLimited() {
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> { })) {
      r.finish();
      JsonNode ledger = ledgerOf(r, r.onlyExecution().path("name").asText());

      assertThat(r.runtime().sageMaker().rateLimitedCalls()).isZero();
      assertThat(retries(ledger)).isZero();
      assertThat(r.runtime().embeddedMetrics().extracted())
          .noneMatch(e -> e.metricName().equals(RolloutMetrics.Names.SAGEMAKER_RETRIES));
    }
  }

  /** details.sageMakerRetries of a ledger item (a DynamoDB number). */
  private static long retries(JsonNode ledgerItem) {
    JsonNode n = ledgerItem.path("details").path("M").path("sageMakerRetries").path("N");
    assertThat(n.isMissingNode()).as("ledger details.sageMakerRetries present in " + ledgerItem.path("details")).isFalse();
    return Long.parseLong(n.asText());
  }

  private static JsonNode ledgerOf(Rehearsal r, String executionName) {
    for (JsonNode item : WorkflowInvariants.scan(r.runtime(), "LedgerTable")) {
      if (item.path("executionName").path("S").asText().equals(executionName)) {
        return item;
      }
    }
    throw new AssertionError("no ledger record of " + executionName);
  }
}
