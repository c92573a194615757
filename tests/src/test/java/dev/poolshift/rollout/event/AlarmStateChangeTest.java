package dev.poolshift.rollout.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlarmStateChangeTest {

  @Test
  void theEarliestEvaluatedPeriodIsReadFromReasonDataInEitherTimeSpelling() {
    String reasonData = "{\"version\":\"1.0\",\"queryDate\":\"2026-06-01T12:20:05.112+0000\","
        + "\"startDate\":\"2026-06-01T12:19:30.000+0000\",\"period\":10,"
        + "\"evaluatedDatapoints\":[{\"timestamp\":\"2026-06-01T12:19:50.000+0000\",\"value\":0.04},"
        + "{\"timestamp\":\"2026-06-01T12:19:30.000+0000\",\"value\":0.05}],\"threshold\":0.001}";

    assertThat(AlarmStateChange.firstEvaluated(reasonData))
        .isEqualTo(Instant.parse("2026-06-01T12:19:30Z"));
    assertThat(AlarmStateChange.firstEvaluated("{\"evaluatedDatapoints\":[{\"timestamp\":"
        + "\"2026-06-01T12:19:40Z\"}]}")).isEqualTo(Instant.parse("2026-06-01T12:19:40Z"));
  }

  @Test
  void noReasonDataOrNoTimesMeansUnknownNotAnError() {
    assertThat(AlarmStateChange.firstEvaluated(null)).isNull();
    assertThat(AlarmStateChange.firstEvaluated("{\"version\":\"1.0\",\"threshold\":0.001}")).isNull();
    assertThat(AlarmStateChange.firstEvaluated("{\"timestamp\":\"yesterday\"}")).isNull();
  }
}
