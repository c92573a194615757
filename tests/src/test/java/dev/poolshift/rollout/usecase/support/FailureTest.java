package dev.poolshift.rollout.usecase.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureTest {
  @Test
  void aLambdaErrorCauseReadsAsItsMessage() {
    Failure f = new Failure("dev.poolshift.rollout.CanaryAlarmException",
        "{\"errorMessage\":\"alarm a is in ALARM: 5xx\",\"errorType\":\"dev.poolshift.rollout"
            + ".CanaryAlarmException\",\"stackTrace\":[\"a.b(C.java:1)\"]}", "bake");

    assertThat(f.message()).isEqualTo("alarm a is in ALARM: 5xx");
    assertThat(f.shortError()).isEqualTo("CanaryAlarmException");
  }

  @Test
  void aPlainCauseIsShownAsItIs() {
    assertThat(new Failure("States.Timeout", "{not json", "wait").message()).isEqualTo("{not json");
    assertThat(new Failure("States.Timeout", null, "wait").message()).isEqualTo("States.Timeout");
  }
}
