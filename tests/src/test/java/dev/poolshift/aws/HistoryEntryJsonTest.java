package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.port.HistoryEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** History entries as DynamoDB and the ledger keep them: JSON objects named by {@code kind}. */
class HistoryEntryJsonTest {
  private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void everyKindOfEntryRoundTripsThroughItsStoredForm() {
    List<HistoryEntry> entries = List.of(
        new HistoryEntry.Locked(AT, "deploy"),
        new HistoryEntry.FleetChecked(AT, true, "on priority 1", Map.of("ml.g5.2xlarge", 2)),
        new HistoryEntry.Shifted(AT, 0, 10, Map.of("AllTraffic", 0.9, "canary-v42", 0.1)),
        new HistoryEntry.Judged(AT, 0, 10, "CONTINUE", "healthy", 6000, 2, 61.5,
            Map.of("a", "OK")),
        new HistoryEntry.PromotedFleet(AT, false, "landed on g6", Map.of("ml.g6.2xlarge", 2)),
        new HistoryEntry.AlarmFired(AT, "a", "threshold crossed", true),
        new HistoryEntry.Superseded(AT, "run-43", "arn:pkg/43"),
        new HistoryEntry.OperatorAction(AT, "continue", "alice", "looks fine", "console-1", 0,
            List.of("HOLD:DELIVERED")),
        new HistoryEntry.Restore(AT, "cfg-2", "cfg-1"),
        new HistoryEntry.Verified(AT, true, "back", Map.of("AllTraffic",
            Map.of("ml.g5.2xlarge", 2))),
        new HistoryEntry.AutoscalingSuspended(AT, "endpoint/e/variant/AllTraffic", 2, 6, null,
            List.of(new HistoryEntry.KeptPolicy("p", "TargetTrackingScaling", "{}")),
            List.of(new HistoryEntry.KeptAction("morning", "{}"))));

    for (HistoryEntry e : entries) {
      Map<?, ?> stored = Json.MAPPER.convertValue(e, Map.class);

      assertThat(stored.get("at")).isEqualTo("2026-06-01T12:00:00Z");
      assertThat(stored.get("kind")).isInstanceOf(String.class);
      assertThat(Json.MAPPER.convertValue(stored, HistoryEntry.class)).isEqualTo(e);
    }
  }

  @Test
  void theKindsAreTheNamesOperatorsReadInTheLedger() {
    assertThat(Json.MAPPER.convertValue(new HistoryEntry.Shifted(AT, 1, 50, Map.of()), Map.class))
        .containsEntry("kind", "shift").containsEntry("stepIndex", 1).containsEntry("percent", 50);
    assertThat(Json.MAPPER.convertValue(new HistoryEntry.Judged(AT, 1, 50, "ROLL_BACK", "5xx",
        10, 9, null, Map.of()), Map.class)).containsEntry("kind", "verdict")
        .doesNotContainKey("p99LatencyMs");
  }

  @Test
  void anEntryKeepsItsKindInsideUntypedDetailsToo() {
    Map<?, ?> details = Json.MAPPER.convertValue(Map.of("history",
        List.of(new HistoryEntry.Locked(AT, "deploy"))), Map.class);

    assertThat(details.get("history").toString()).contains("kind=locked");
  }

  @Test
  void everyKindRoundTripsAndTheStoredKindIsTheTypeName() {
    HistoryEntry e = new HistoryEntry.Restore(AT, "a", "b");

    assertThat(Json.MAPPER.convertValue(e, Map.class)).containsEntry("kind", e.kind())
        .containsEntry("kind", "restore");
  }

  @Test
  void anEntryOfAKindThisVersionDoesNotKnowKeepsItsTime() {
    HistoryEntry read = Json.MAPPER.convertValue(Map.of("kind", "from-the-future",
        "at", "2026-06-01T12:00:00Z", "x", 1), HistoryEntry.class);

    assertThat(read).isEqualTo(new HistoryEntry.Other(AT, "from-the-future"));
  }
}
