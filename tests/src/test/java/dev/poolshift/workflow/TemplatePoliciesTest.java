package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The managed-tag policy check must catch every way a statement could let Poolshift update an
 * endpoint nobody handed to it, or the static IAM assertions of {@link RolloutSituationsTest} prove
 * nothing.
 */
class TemplatePoliciesTest {
  static final String ENDPOINTS = "Sub:arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/*";
  static final String CONFIGS = "Sub:arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint-config/*";
  static final Map<String, Object> TAGGED = Map.of("StringEquals", Map.of("aws:ResourceTag/poolshift:managed", "true"));

  private static Map<String, Object> allow(Object action, Object resource, Map<String, Object> condition) {
    Map<String, Object> st = new LinkedHashMap<>();
    st.put("Effect", "Allow");
    st.put("Action", action);
    st.put("Resource", resource);
    if (condition != null) {
      st.put("Condition", condition);
    }
    return st;
  }

  private static List<String> ungated(Map<String, Object> statement) {
    return TemplatePolicies.ungatedEndpointGrants("Fn", List.of(statement), "sagemaker:UpdateEndpoint");
  }

  @Test
  void anUpdateOnEndpointsUnderTheTagConditionPasses() {
    assertThat(ungated(allow(List.of("sagemaker:UpdateEndpoint"), ENDPOINTS, TAGGED))).isEmpty();
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", List.of(CONFIGS), null)))
        .as("configs are not endpoints").isEmpty();
    assertThat(ungated(allow("sagemaker:DescribeEndpoint", ENDPOINTS, null))).as("another action").isEmpty();
  }

  @Test
  void anUnconditionedWildcardedOrLooselyConditionedGrantIsCaught() {
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", ENDPOINTS, null))).hasSize(1);
    assertThat(ungated(allow("sagemaker:Update*", ENDPOINTS, null))).as("wildcard action").hasSize(1);
    assertThat(ungated(allow("SageMaker:updateendpoint", ENDPOINTS, null))).as("actions ignore case").hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", "*", null))).as("any resource").hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint",
        "Sub:arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:*", null))).hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", "Ref:SomeArn", null))).as("unresolvable resource").hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", List.of(CONFIGS, ENDPOINTS), null))).hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", ENDPOINTS,
        Map.of("StringEquals", Map.of("aws:ResourceTag/poolshift:managed", "True"))))).as("wrong value").hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", ENDPOINTS,
        Map.of("StringLike", Map.of("aws:ResourceTag/poolshift:managed", "*"))))).as("wrong operator").hasSize(1);
    Map<String, Object> notAction = new LinkedHashMap<>(Map.of("Effect", "Allow", "NotAction", "iam:*", "Resource", "*"));
    assertThat(ungated(notAction)).hasSize(1);
  }
}
