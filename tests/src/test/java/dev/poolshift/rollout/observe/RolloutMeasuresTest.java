package dev.poolshift.rollout.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.OperatorAbortException;
import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.RolloutEnd;
import dev.poolshift.rollout.port.StopRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutMeasuresTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void eachTypeCountsFromItsFleetCheckToTheNextOrTheEnd() {
    List<HistoryEntry> history = List.of(
        new HistoryEntry.Locked(T0, "deploy"),
        new HistoryEntry.FleetChecked(T0.plusSeconds(600), true, "live",
            Map.of("ml.g5.2xlarge", 2, "ml.g6.2xlarge", 1, "ml.g5.4xlarge", 0)),
        new HistoryEntry.PromotedFleet(T0.plusSeconds(1800), true, "live", Map.of("ml.g6.2xlarge", 3)));

    assertThat(RolloutMeasures.secondsOnInstanceType(history, T0.plusSeconds(2400)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("ml.g5.2xlarge", 1200L, "ml.g6.2xlarge", 1800L));
  }

  @Test
  void alarmToBaselineOnlyForARollbackAfterAnAlarm() {
    List<HistoryEntry> history = List.of(new HistoryEntry.AlarmFired(T0.plusSeconds(100), "a", "r", true),
        new HistoryEntry.AlarmFired(T0.plusSeconds(160), "b", "r", false));

    RolloutEnd rolledBack = RolloutMeasures.end("e", "x", Outcome.ROLLED_BACK, history, T0, T0.plusSeconds(400), false);
    RolloutEnd promoted = RolloutMeasures.end("e", "x", Outcome.PROMOTED, history, T0, T0.plusSeconds(400), false);

    assertThat(rolledBack.alarmToBaselineSeconds()).isEqualTo(300.0);
    assertThat(rolledBack.durationSeconds()).isEqualTo(400);
    assertThat(promoted.alarmToBaselineSeconds()).isNull();
    assertThat(RolloutMeasures.end("e", "x", Outcome.ROLLED_BACK, List.of(), T0, T0.plusSeconds(5), false)
        .alarmToBaselineSeconds()).isNull();
  }

  @Test
  void firstErrorToBaselineRunsFromTheEarliestPeriodAnAlarmEvaluated() {
    List<HistoryEntry> history = List.of(
        new HistoryEntry.AlarmFired(T0.plusSeconds(100), "a", "r", true, T0.plusSeconds(40)),
        new HistoryEntry.AlarmFired(T0.plusSeconds(160), "b", "r", false, T0.plusSeconds(70)));

    RolloutEnd rolledBack = RolloutMeasures.end("e", "x", Outcome.ROLLED_BACK, history, T0,
        T0.plusSeconds(400), false);

    assertThat(rolledBack.firstErrorToBaselineSeconds()).isEqualTo(360.0);
    assertThat(rolledBack.alarmToBaselineSeconds()).isEqualTo(300.0);
    assertThat(RolloutMeasures.end("e", "x", Outcome.ROLLED_BACK,
        List.of(new HistoryEntry.AlarmFired(T0.plusSeconds(100), "a", "r", true)), T0,
        T0.plusSeconds(400), false).firstErrorToBaselineSeconds())
        .as("an alarm event without reasonData").isNull();
  }

  @Test
  void theAlarmFunctionsStopCountsBeforeItsHistoryEntryIsWritten() {
    StopRequest stop = new StopRequest(CanaryAlarmException.class.getName(), "alarm a", T0.plusSeconds(90));
    StopRequest operator = new StopRequest(OperatorAbortException.class.getName(), "abort", T0.plusSeconds(30));

    assertThat(RolloutMeasures.alarmAt(List.of(), stop)).hasValue(T0.plusSeconds(90));
    assertThat(RolloutMeasures.alarmAt(List.of(new HistoryEntry.AlarmFired(T0.plusSeconds(80), "a", "r", true)),
        stop)).hasValue(T0.plusSeconds(80));
    assertThat(RolloutMeasures.alarmAt(List.of(), operator)).isEmpty();
    assertThat(RolloutMeasures.alarmAt(List.of(), null)).isEmpty();
  }
}
