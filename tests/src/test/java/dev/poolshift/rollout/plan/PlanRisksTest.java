package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.profile.DeploymentProfile;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanRisksTest {
  private static final DeploymentProfile PROFILE = DeploymentProfile.builder()
      .endpointName("fraud-scoring-prod").executionRoleArn("arn:aws:iam::111122223333:role/x")
      .pool("ml.g5.2xlarge").build();

  @Test
  void aGateAlarmInAlarmIsNamedWithItsReason() {
    Map<String, String> inAlarm = new LinkedHashMap<>();
    inAlarm.put("fraud-scoring-prod-model-latency-p99", "Threshold Crossed: 3 datapoints > 100000");

    assertThat(PlanRisks.alarmsInAlarm(inAlarm)).containsExactly("gate alarm"
        + " fraud-scoring-prod-model-latency-p99 is in ALARM now (Threshold Crossed: 3 datapoints"
        + " > 100000): the first bake would roll back at once; fix it or wait for OK before"
        + " deploying");
  }

  @Test
  void theDefaultsFitTheExecutionsDay() {
    assertThat(PlanRisks.timing(PROFILE, 3300, 900, 3600, List.of())).isEmpty();
  }

  @Test
  void longBakesThatCannotFinishWithinTheExecutionTimeoutAreARisk() {
    DeploymentProfile slow = PROFILE.toBuilder().bakeSeconds(6 * 3600)
        .canarySteps(List.of(10, 50, 100)).build();

    assertThat(PlanRisks.timing(slow, 3300, 900, 3600, List.of())).singleElement()
        .satisfies(r -> assertThat(r).startsWith("at its slowest this rollout needs 24.3 h (3 steps"
            + " of up to 6.8 h each").endsWith("but the execution times out after 24 h; the"
            + " reconciler would then return the endpoint to its baseline"));
  }

  @Test
  void aScheduleThatFitsTheExecutionToTheSecondIsAccepted() {
    // 2 × 3300 + 3 × (900 + bake) + 3600 + 900 + 3300 = 86400  →  bake = 23100
    DeploymentProfile exact = PROFILE.toBuilder().bakeSeconds(23_100)
        .canarySteps(List.of(10, 50, 100)).build();

    assertThat(PlanRisks.scheduleSeconds(exact, 3300, 900, 3600)).isEqualTo(86_400);
    assertThat(PlanRisks.scheduleTooLong(exact, 3300, 900, 3600)).isEmpty();
  }

  @Test
  void aScheduleOneSecondTooLongIsRefusedNamingBakeSecondsAndCanarySteps() {
    DeploymentProfile over = PROFILE.toBuilder().bakeSeconds(23_101)
        .canarySteps(List.of(10, 50, 100)).build();

    assertThat(PlanRisks.scheduleTooLong(over, 3300, 900, 3600))
        .extracting(dev.poolshift.rollout.FieldError::path)
        .containsExactly("bakeSeconds", "canarySteps");
    assertThat(PlanRisks.scheduleTooLong(over, 3300, 900, 3600).getFirst().message())
        .contains("with 3 steps at most 23100 s fits").contains("ends after 24 h");
  }

  @Test
  void aBakeShorterThanAnAlarmsWindowIsARisk() {
    AlarmSpec fiveMinutes = new AlarmSpec("poolshift-x-5xx-rate", "d",
        List.of(AlarmSpec.Query.metric("m", "Invocation5XXErrors", Map.of(), "Sum", 60),
            AlarmSpec.Query.expression("e", "rate", "m").returningData()),
        "GreaterThanThreshold", 0.001, 5, 3, "notBreaching");
    DeploymentProfile quick = PROFILE.toBuilder().bakeSeconds(120).build();

    assertThat(PlanRisks.timing(quick, 3300, 900, 3600, List.of(fiveMinutes))).singleElement()
        .isEqualTo("bakeSeconds 120 is shorter than alarm poolshift-x-5xx-rate's evaluation"
            + " window (300 s): it cannot go to ALARM within one bake; the gate's own check at the"
            + " end of the bake still applies");
  }

  @Test
  void anAutoscaledVariantIsTakenOutOfAutoScalingEvenWhenItsPoolsStayTheSame() {
    VariantSpec pooled = new VariantSpec("AllTraffic", "m1", 2, null, List.of(
        new InstancePool("ml.g5.2xlarge", 1, null)), 1200, 1.0, Map.of());

    String risk = PlanRisks.autoscaled(new dev.poolshift.rollout.port.ScalingTargets.ScalingTarget(
        "endpoint/e/variant/AllTraffic", 2, 6, List.of("p"), List.of("morning-peak")), pooled, pooled, "canary-v2");

    assertThat(risk).contains("Poolshift deregisters the scalable target")
        .contains("registers it again, with the same min, max, policies and scheduled actions")
        .contains("scheduled actions [morning-peak]")
        .contains("keeps the instance count it has when the rollout starts")
        .doesNotContain("its instance type changes");
  }
}
