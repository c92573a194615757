package dev.poolshift.rollout.canary;

import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.Thresholds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryGateTest {
  private static final Instant BAKE_START = Instant.parse("2026-06-01T12:00:00Z");
  private static final Instant BAKE_END = BAKE_START.plusSeconds(600);
  private static final Instant BOUND = BAKE_END.plusSeconds(1800);
  private static final String FIVE_XX = "fraud-scoring-prod-canary-5xx";
  private static final String LATENCY = "fraud-scoring-prod-model-latency-p99";

  private final GatePolicy policy = new GatePolicy(List.of(FIVE_XX, LATENCY), Duration.ofSeconds(600),
      1000, Duration.ofSeconds(1800), 0.001, 100, Duration.ofSeconds(60));
  private final CanarySchedule schedule = new CanarySchedule(List.of(10, 50, 100));

  private static Map<String, AlarmState> alarms(AlarmState fiveXx, AlarmState latency) {
    return Map.of(FIVE_XX, fiveXx, LATENCY, latency);
  }

  private static GateReadings healthy(long invocations) {
    return new GateReadings(alarms(AlarmState.OK, AlarmState.OK), invocations, 0, 68.0);
  }

  private GateOutcome at(Instant now, GateReadings readings, int step) {
    return CanaryGate.evaluate(policy, schedule.step(step), BAKE_START, now, readings);
  }

  @Test
  void rollsBackWhenAlarmFiresDuringBake() {
    GateOutcome outcome = at(BAKE_START.plusSeconds(30),
        new GateReadings(alarms(AlarmState.ALARM, AlarmState.OK), 20, 3, 70.0), 0);

    assertThat(outcome).isEqualTo(new GateOutcome.Decision(Verdict.ROLL_BACK,
        "step 0 at 10%: alarm " + FIVE_XX + " is in ALARM"));
  }

  @Test
  void keepsBakingUntilTheBakeIsOverEvenWhenHealthy() {
    GateOutcome outcome = at(BAKE_START.plusSeconds(599), healthy(50_000), 0);

    assertThat(outcome).isInstanceOf(GateOutcome.KeepBaking.class);
    assertThat(((GateOutcome.KeepBaking) outcome).until()).isEqualTo(BAKE_END);
  }

  @Test
  void aHealthyStepWithEnoughTrafficContinuesAndTheLastPromotes() {
    assertThat(at(BAKE_END, healthy(5000), 0)).extracting(o -> ((GateOutcome.Decision) o).verdict())
        .isEqualTo(Verdict.CONTINUE);
    assertThat(at(BAKE_END, healthy(5000), 2)).extracting(o -> ((GateOutcome.Decision) o).verdict())
        .isEqualTo(Verdict.PROMOTE);
  }

  @Test
  void noTrafficIsNeverAPass() {
    GateReadings none = new GateReadings(alarms(AlarmState.INSUFFICIENT_DATA, AlarmState.INSUFFICIENT_DATA), 0, 0, null);

    GateOutcome early = at(BAKE_END.plusSeconds(10), none, 2);
    GateOutcome late = at(BOUND, none, 2);

    assertThat(early).isInstanceOf(GateOutcome.KeepBaking.class);
    assertThat(((GateOutcome.KeepBaking) early).until()).isEqualTo(BAKE_END.plusSeconds(70));
    assertThat(late).isInstanceOf(GateOutcome.Decision.class);
    assertThat(((GateOutcome.Decision) late).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(late.reason()).contains("invocations 0 < minimum 1000")
        .contains("INSUFFICIENT_DATA").contains("no p99 latency datapoint");
  }

  @Test
  void insufficientDataOnAnAlarmAfterTheBoundFailsClosedDespiteEnoughInvocations() {
    GateReadings readings = new GateReadings(alarms(AlarmState.OK, AlarmState.INSUFFICIENT_DATA), 5000, 0, 50.0);

    GateOutcome outcome = at(BOUND.plusSeconds(1), readings, 2);

    assertThat(((GateOutcome.Decision) outcome).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void theRecheckNeverOvershootsTheBound() {
    GateOutcome outcome = at(BOUND.minusSeconds(10), healthy(10), 0);

    assertThat(((GateOutcome.KeepBaking) outcome).until()).isEqualTo(BOUND);
  }

  @Test
  void aFiveXxRateAboveThresholdRollsBack() {
    GateReadings readings = new GateReadings(alarms(AlarmState.OK, AlarmState.OK), 10_000, 11, 60.0);

    GateOutcome outcome = at(BAKE_END, readings, 1);

    assertThat(((GateOutcome.Decision) outcome).verdict()).isEqualTo(Verdict.ROLL_BACK);
    assertThat(outcome.reason()).contains("5xx rate 0.00110 (11 of 10000) above threshold 0.00100");
  }

  @Test
  void aRateAtTheThresholdPasses() {
    GateReadings readings = new GateReadings(alarms(AlarmState.OK, AlarmState.OK), 10_000, 10, 60.0);

    assertThat(((GateOutcome.Decision) at(BAKE_END, readings, 1)).verdict()).isEqualTo(Verdict.CONTINUE);
  }

  @Test
  void aSlowerFallbackPoolOverTheLatencySlaRollsBack() {
    GateReadings readings = new GateReadings(alarms(AlarmState.OK, AlarmState.OK), 10_000, 0, 131.5);

    GateOutcome outcome = at(BAKE_END, readings, 0);

    assertThat(((GateOutcome.Decision) outcome).verdict()).isEqualTo(Verdict.ROLL_BACK);
    assertThat(outcome.reason()).contains("p99 latency 131.5 ms above SLA 100 ms");
  }

  @Test
  void aFallbackTypeOverTheLatencySlaRollsBackEvenWhenTheVariantAsAWholeIsWithinIt() {
    GateReadings readings = new GateReadings(alarms(AlarmState.OK, AlarmState.OK), 10_000, 0, 88.0,
        Map.of("ml.g5.2xlarge", new GateReadings.TypeReading(9_500, 0, 64.0),
            "ml.g6.2xlarge", new GateReadings.TypeReading(500, 0, 140.0)));

    GateOutcome outcome = at(BAKE_END, readings, 0);

    assertThat(((GateOutcome.Decision) outcome).verdict()).isEqualTo(Verdict.ROLL_BACK);
    assertThat(outcome.reason()).contains("p99 latency on ml.g6.2xlarge 140.0 ms above SLA 100 ms");
  }

  @Test
  void underFallbackPolicyPauseAFallbackTypesLatencyRegressionHoldsForAPerson() {
    GatePolicy pause = new GatePolicy(policy.alarmNames(), policy.bake(), policy.minInvocations(),
        policy.maxWaitForInvocations(), policy.max5xxRate(), policy.p99LatencyMs(),
        policy.recheckInterval(), Verdict.INCONCLUSIVE);
    GateReadings readings = new GateReadings(alarms(AlarmState.OK, AlarmState.OK), 10_000, 0, 88.0,
        Map.of("ml.g5.2xlarge", new GateReadings.TypeReading(9_500, 0, 64.0),
            "ml.g6.2xlarge", new GateReadings.TypeReading(500, 0, 140.0)));

    GateOutcome outcome = CanaryGate.evaluate(pause, schedule.step(0), BAKE_START, BAKE_END, readings);

    assertThat(((GateOutcome.Decision) outcome).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(outcome.reason()).contains("ml.g6.2xlarge").contains("a person decides");
  }

  @Test
  void aFallbackTypeThatServedTooLittleToJudgeKeepsTheStepBakingThenIsInconclusive() {
    GateReadings readings = new GateReadings(alarms(AlarmState.OK, AlarmState.OK), 10_000, 0, 64.0,
        Map.of("ml.g5.2xlarge", new GateReadings.TypeReading(9_960, 0, 64.0),
            "ml.g6.2xlarge", new GateReadings.TypeReading(40, 0, 140.0)));

    assertThat(at(BAKE_END, readings, 0)).isInstanceOf(GateOutcome.KeepBaking.class)
        .satisfies(o -> assertThat(o.reason()).contains("ml.g6.2xlarge served 40 < 100"));
    GateOutcome after = at(BOUND, readings, 0);
    assertThat(((GateOutcome.Decision) after).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void aGateAlarmThatDoesNotExistCannotBeTrusted() {
    GateReadings readings = new GateReadings(Map.of(FIVE_XX, AlarmState.OK), 10_000, 0, 60.0);

    GateOutcome outcome = at(BAKE_END, readings, 0);

    assertThat(((GateOutcome.Decision) outcome).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(outcome.reason()).contains("gate alarms not found: [" + LATENCY + "]");
  }

  @Test
  void anAlarmStillRollsBackAfterTheBound() {
    GateReadings readings = new GateReadings(alarms(AlarmState.OK, AlarmState.ALARM), 0, 0, null);

    assertThat(((GateOutcome.Decision) at(BOUND.plusSeconds(5), readings, 0)).verdict())
        .isEqualTo(Verdict.ROLL_BACK);
  }

  @Test
  void theProfileSuppliesThePolicyAndTheWorkflowAddsItsOwnAlarms() {
    DeploymentProfile profile = DeploymentProfile.builder().endpointName("e")
        .executionRoleArn("arn:aws:iam::111122223333:role/r").pool("ml.g5.2xlarge")
        .bakeSeconds(300).minInvocationsPerStep(50).maxWaitForInvocationsSeconds(120)
        .thresholds(new Thresholds(0.01, 250)).gateAlarmNames(List.of("extra")).build();

    GatePolicy p = GatePolicy.of(profile, List.of("canary-5xx", "extra"));

    assertThat(p.alarmNames()).containsExactly("canary-5xx", "extra");
    assertThat(p.bake()).isEqualTo(Duration.ofSeconds(300));
    assertThat(p.minInvocations()).isEqualTo(50);
    assertThat(p.maxWaitForInvocations()).isEqualTo(Duration.ofSeconds(120));
    assertThat(p.max5xxRate()).isEqualTo(0.01);
    assertThat(p.p99LatencyMs()).isEqualTo(250);
  }
}
