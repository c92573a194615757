package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.Thresholds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryAlarmsTest {
  private static RolloutPlan plan(DeploymentProfile profile) {
    return RolloutPlannerTest.plan(profile);
  }

  @Test
  void withStandardMetricsTheAlarmsLookAtMinutesAsTheAwsRecipeDoes() {
    List<AlarmSpec> alarms = CanaryAlarms.forRollout("poolshift-",
        plan(RolloutPlannerTest.profile().build()));

    AlarmSpec rate = alarms.getFirst();
    assertThat(rate.queries()).filteredOn(q -> q.metricName() != null)
        .extracting(AlarmSpec.Query::period).containsOnly(60);
    assertThat(rate.evaluationPeriods()).isEqualTo(3);
    assertThat(rate.datapointsToAlarm()).isEqualTo(2);
    assertThat(rate.threshold()).isEqualTo(Thresholds.DEFAULT_MAX_5XX_RATE);
  }

  @Test
  void anAsynchronousEndpointGetsNoCanaryAlarmsAndItsPromotedFleetIsGuardedByWhatAsyncEndpointsPublish() {
    RolloutPlan plan = RolloutPlannerTest.asyncPlan(RolloutPlannerTest.profile().build());

    assertThat(CanaryAlarms.forRollout("poolshift-", plan)).isEmpty();
    List<AlarmSpec> alarms = CanaryAlarms.forPromotion("poolshift-", plan);
    assertThat(alarms).extracting(AlarmSpec::name).containsExactly(
        "poolshift-fraud-scoring-prod-v42-promoted-failure-rate",
        "poolshift-fraud-scoring-prod-v42-promoted-backlog-without-capacity",
        "poolshift-fraud-scoring-prod-v42-promoted-failure-rate-g5-2xlarge",
        "poolshift-fraud-scoring-prod-v42-promoted-failure-rate-g5-4xlarge",
        "poolshift-fraud-scoring-prod-v42-promoted-failure-rate-g6-2xlarge");
    assertThat(alarms).flatExtracting(AlarmSpec::queries).extracting(AlarmSpec.Query::metricName)
        .doesNotContain("Invocations", "Invocation5XXErrors", "ModelLatency")
        .contains("InvocationFailures", "InvocationsProcessed", "HasBacklogWithoutCapacity");
    AlarmSpec rate = alarms.getFirst();
    assertThat(rate.queries()).filteredOn(q -> "invocations".equals(q.id())).singleElement()
        .satisfies(q -> assertThat(q.expression()).isEqualTo("processed + errors"));
    assertThat(rate.threshold()).isEqualTo(Thresholds.DEFAULT_MAX_5XX_RATE);
    AlarmSpec backlog = alarms.get(1);
    assertThat(backlog.queries()).singleElement().satisfies(q -> {
      assertThat(q.dimensions()).containsOnlyKeys("EndpointName");
      assertThat(q.stat()).isEqualTo("Maximum");
    });
    assertThat(backlog.comparisonOperator()).isEqualTo("GreaterThanOrEqualToThreshold");
    assertThat(backlog.evaluationPeriods()).isEqualTo(5);
    assertThat(backlog.datapointsToAlarm()).isEqualTo(5);
    assertThat(alarms.get(2).queries()).filteredOn(q -> q.metricName() != null)
        .allSatisfy(q -> assertThat(q.dimensions()).containsEntry("InstanceType", "ml.g5.2xlarge"));
  }

  @Test
  void thereIsNoLatencyAlarmWithoutAnSla() {
    List<AlarmSpec> alarms = CanaryAlarms.forRollout("poolshift-",
        plan(RolloutPlannerTest.profile().build()));

    assertThat(alarms).extracting(AlarmSpec::name).noneMatch(n -> n.endsWith("p99-latency"))
        .hasSize(4);
  }

  @Test
  void theSlaInMillisecondsBecomesAThresholdInMicroseconds() {
    List<AlarmSpec> alarms = CanaryAlarms.forRollout("poolshift-",
        plan(RolloutPlannerTest.profile().thresholds(new Thresholds(0.002, 250)).build()));

    AlarmSpec latency = alarms.getLast();
    assertThat(latency.name()).endsWith("-p99-latency");
    assertThat(latency.threshold()).isEqualTo(250_000.0);
    assertThat(alarms.getFirst().threshold()).isEqualTo(0.002);
  }

  @Test
  void everyNameStartsWithThePrefixTheAlarmRuleListensTo() {
    List<String> names = CanaryAlarms.names("ops-", plan(RolloutPlannerTest.profile().build()));

    assertThat(names).allMatch(n -> n.startsWith("ops-fraud-scoring-prod-canary-v42-"));
  }

  @Test
  void aPrefixWithSpacesIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> CanaryAlarms.forRollout("my prefix",
        plan(RolloutPlannerTest.profile().build())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("MANAGED_ALARM_PREFIX: must be 1–64 printable ASCII characters");
  }
}
