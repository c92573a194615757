package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.port.ScalingTargets.ScalingPolicySetup;
import dev.poolshift.rollout.port.ScalingTargets.ScalingTarget;
import dev.poolshift.rollout.profile.WeightedAutoscaling;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedScalingPolicyTest {
  static final WeightedAutoscaling WEIGHTED = new WeightedAutoscaling(0.7,
      Map.of("ml.g5.2xlarge", 7, "ml.g5.4xlarge", 12, "ml.g6.2xlarge", 9), 45, 600);

  @SuppressWarnings("unchecked")
  static Map<String, Object> configuration(ScalingPolicySetup p) {
    return (Map<String, Object>) p.settings().get(WeightedScalingPolicy.CONFIGURATION);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> queries(ScalingPolicySetup p) {
    return (List<Map<String, Object>>) ((Map<String, Object>) configuration(p)
        .get("CustomizedMetricSpecification")).get("Metrics");
  }

  @Test
  void thePlanCarriesATargetTrackingPolicyOnEachPoolTypesConcurrencyOverItsCapacity() {
    RolloutPlan plan = RolloutPlannerTest.plan(RolloutPlannerTest.profile()
        .weightedAutoscaling(WEIGHTED).build());

    ScalingPolicySetup policy = plan.scalingPolicy();
    assertThat(policy.policyName()).isEqualTo("poolshift-weighted-utilization");
    assertThat(policy.policyType()).isEqualTo("TargetTrackingScaling");
    assertThat(configuration(policy)).containsEntry("TargetValue", 0.7)
        .containsEntry("ScaleOutCooldown", 45).containsEntry("ScaleInCooldown", 600);
    List<Map<String, Object>> queries = queries(policy);
    assertThat(queries).hasSize(4);
    assertThat(queries.subList(0, 3)).allSatisfy(q -> assertThat(q)
        .containsEntry("ReturnData", false).doesNotContainKey("Expression"));
    assertThat(queries.get(1).get("MetricStat")).isEqualTo(Map.of("Stat", "Average", "Metric",
        Map.of("Namespace", "AWS/SageMaker", "MetricName", "ConcurrentRequestsPerModel",
            "Dimensions", List.of(Map.of("Name", "EndpointName", "Value", "fraud-scoring-prod"),
                Map.of("Name", "VariantName", "Value", "AllTraffic"),
                Map.of("Name", "InstanceType", "Value", "ml.g5.4xlarge")))));
    assertThat(queries.get(3)).containsEntry("Id", "weighted").containsEntry("ReturnData", true)
        .containsEntry("Expression", "(c1 / 7 + c2 / 12 + c3 / 9) / 3");
    assertThat(WeightedScalingPolicy.expression(policy))
        .isEqualTo("(c1 / 7 + c2 / 12 + c3 / 9) / 3");
  }

  @Test
  void withoutTheOptInThePlanLeavesScalingAlone() {
    assertThat(RolloutPlannerTest.plan(RolloutPlannerTest.profile().build()).scalingPolicy())
        .isNull();
  }

  @Test
  void aKeptCurrentTypeWithoutACapacityIsRefusedNamingTheField() {
    // The endpoint runs ml.g5.2xlarge; keepCurrentTypeFirst keeps it at priority 1 of the pools.
    WeightedAutoscaling g6Only = new WeightedAutoscaling(0.7,
        Map.of("ml.g6e.2xlarge", 12, "ml.g6.2xlarge", 7));

    assertThatThrownBy(() -> RolloutPlannerTest.plan(dev.poolshift.rollout.profile
        .DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn(RolloutPlannerTest.ROLE).pool("ml.g6e.2xlarge").pool("ml.g6.2xlarge")
        .weightedAutoscaling(g6Only).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("weightedAutoscaling.maxConcurrencyPerInstance: no entry for"
            + " ml.g5.2xlarge, which variant AllTraffic runs on after promotion");
  }

  @Test
  void theDryRunSpellsOutThePolicyAndWhatItReplaces() {
    RolloutPlan plan = RolloutPlannerTest.plan(RolloutPlannerTest.profile()
        .weightedAutoscaling(WEIGHTED).build());

    assertThat(PlanRisks.weighted(new ScalingTarget("endpoint/fraud-scoring-prod/variant/AllTraffic",
        2, 8, List.of("invocations-per-instance")), plan))
        .contains("poolshift-weighted-utilization", "(c1 / 7 + c2 / 12 + c3 / 9) / 3", "0.7",
            "[invocations-per-instance]", "rollback puts them back unchanged");
    assertThat(PlanRisks.weightedNotRegistered(plan)).contains("not registered");
  }
}
