package dev.poolshift.rollout.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The promoted fleet's gate, for a blue/green switch no canary judged before it (an asynchronous
 * endpoint): the whole fleet is judged like a canary step on its failure rate.
 */
class PromotionGateTest {
  private static final Instant BAKE_END = Instant.parse("2026-06-01T12:10:00Z");
  private static final String FAILURES = "doc-extract-async-v2-promoted-failure-rate";
  private static final Map<String, Integer> FLEET = Map.of("ml.g5.2xlarge", 2);

  private final GatePolicy policy = new GatePolicy(List.of(FAILURES), Duration.ofSeconds(300),
      500, Duration.ofSeconds(900), 0.01, null, Duration.ofSeconds(60));

  private static GateReadings readings(long finished, long failed) {
    return new GateReadings(Map.of(FAILURES, AlarmState.OK), finished, failed, null,
        Map.of("ml.g5.2xlarge", new GateReadings.TypeReading(finished, failed, null)));
  }

  private GateOutcome switched(Instant now, GateReadings readings) {
    return PromotionGate.evaluate(policy, BAKE_END, now, FLEET, Set.of(), readings,
        "failure rate", true);
  }

  @Test
  void aSwitchedFleetBelowTheMinimumOfRequestsKeepsBakingThenIsInconclusive() {
    GateOutcome waiting = switched(BAKE_END, readings(120, 0));
    GateOutcome late = switched(BAKE_END.plusSeconds(900), readings(480, 0));

    assertThat(waiting).isInstanceOf(GateOutcome.KeepBaking.class);
    assertThat(waiting.reason()).contains("the promoted fleet served 120 < minimum 500 requests");
    assertThat(late).isInstanceOfSatisfying(GateOutcome.Decision.class,
        d -> assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE));
  }

  @Test
  void aSwitchedFleetWhoseFailureRateIsAboveTheThresholdIsRolledBack() {
    // 1.5% over the whole fleet, with the alarm still OK: the gate reads the whole bake.
    GateOutcome outcome = switched(BAKE_END, new GateReadings(Map.of(FAILURES, AlarmState.OK),
        1000, 15, null, Map.of()));

    assertThat(outcome).isEqualTo(new GateOutcome.Decision(Verdict.ROLL_BACK,
        "promoted fleet: failure rate 0.01500 (15 of 1000) above threshold 0.01000"));
  }

  @Test
  void aHealthySwitchedFleetIsPromotedWithItsFailureRateInTheReason() {
    GateOutcome outcome = switched(BAKE_END, readings(800, 2));

    assertThat(outcome).isInstanceOfSatisfying(GateOutcome.Decision.class, d -> {
      assertThat(d.verdict()).isEqualTo(Verdict.PROMOTE);
      assertThat(d.reason()).contains("failure rate 0.00250 over 800 requests");
    });
  }

  @Test
  void aCanariedPromotionNeedsNoWholeFleetMinimum() {
    GateOutcome outcome = PromotionGate.evaluate(policy, BAKE_END, BAKE_END, FLEET,
        Set.of("ml.g5.2xlarge"), readings(10, 0));

    assertThat(outcome).isInstanceOfSatisfying(GateOutcome.Decision.class,
        d -> assertThat(d.verdict()).isEqualTo(Verdict.PROMOTE));
  }
}
