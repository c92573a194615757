package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped weighted-autoscaling scenario: the promoted mixed fleet scales on weighted utilization. */
class WeightedAutoscalingScenarioTest {
  static final String ENDPOINT = "fraud-scoring-prod";

  static List<JsonNode> policies(RolloutScenarioTest.Rehearsal r) {
    JsonNode described = r.runtime().autoScaling().invoke("DescribeScalingPolicies", LocalJson.object()
        .put("ServiceNamespace", "sagemaker").put("ResourceId", "endpoint/" + ENDPOINT + "/variant/AllTraffic"));
    List<JsonNode> out = new java.util.ArrayList<>();
    described.path("ScalingPolicies").forEach(out::add);
    return out;
  }

  @Test
  void aPromotionPutsTheWeightedUtilizationPolicyInPlaceOfTheInvocationsPolicy() {
    RolloutScenarioTest.rehearse("weighted-autoscaling.json", s -> {}, r -> {
      assertThat(RolloutScenarioTest.onlyExecution(r).path("outcome").asText()).isEqualTo("PROMOTED");

      assertThat(policies(r)).singleElement().satisfies(p -> {
        assertThat(p.path("PolicyName").asText()).isEqualTo("poolshift-weighted-utilization");
        JsonNode c = p.path("TargetTrackingScalingPolicyConfiguration");
        assertThat(c.path("TargetValue").asDouble()).isEqualTo(0.7);
        assertThat(c.has("PredefinedMetricSpecification")).isFalse();
        JsonNode metrics = c.path("CustomizedMetricSpecification").path("Metrics");
        assertThat(metrics.findValuesAsText("Value")).contains("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
        assertThat(metrics.get(3).path("Expression").asText()).isEqualTo("(c1 / 7 + c2 / 12 + c3 / 9) / 3");
      });
      JsonNode autoscaling = r.report().json().path("endpoints").path(ENDPOINT).path("variants").get(0)
          .path("autoscaling");
      assertThat(autoscaling.path("minCapacity").asInt()).isEqualTo(2);
      assertThat(autoscaling.path("maxCapacity").asInt()).isEqualTo(6);
      assertThat(autoscaling.path("scheduledActions")).hasSize(1);
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }

  @Test
  void aRollbackPutsThePreviousPolicyBackExactly() {
    ObjectNode[] before = new ObjectNode[1];
    RolloutScenarioTest.rehearse("weighted-autoscaling.json", s -> {
      ObjectNode v2 = (ObjectNode) s.path("traffic").path("models").path("fraud-scoring/2");
      v2.put("error5xxRate", 0.15);
      before[0] = (ObjectNode) s.path("world").path("endpoints").get(0).path("variants").get(0)
          .path("autoscaling").path("policies").get(0);
    }, r -> {
      assertThat(RolloutScenarioTest.onlyExecution(r).path("outcome").asText()).isEqualTo("ROLLED_BACK");

      assertThat(policies(r)).singleElement().satisfies(p -> {
        assertThat(p.path("PolicyName").asText()).isEqualTo("fraud-scoring-prod-invocations");
        assertThat(p.path("TargetTrackingScalingPolicyConfiguration"))
            .isEqualTo(before[0].path("TargetTrackingScalingPolicyConfiguration"));
      });
      WorkflowInvariants.assertHold(r.runtime(), r.report());
    });
  }
}
