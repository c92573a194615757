package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Inference components in the template's policies: only the rollout steps may update one, and
 * only an inference component (never any resource, never an endpoint); each check shown to fail
 * on a loosened copy.
 */
class ComponentPoliciesTest {
  static final String SAMPLE_COMPONENT_ARN =
      "arn:aws:sagemaker:us-east-1:111122223333:inference-component/churn-ic";

  /** The statements granting {@code action} on something that is not an inference component. */
  static List<Map<String, Object>> beyondComponents(List<Map<String, Object>> statements,
      String action) {
    return statements.stream().filter(st -> !TemplatePolicies.grants(List.of(st), action,
        SAMPLE_COMPONENT_ARN).isEmpty())
        .filter(st -> !TemplatePolicies.grants(List.of(st), action,
            TemplatePolicies.SAMPLE_ENDPOINT_ARN).isEmpty()
            || !TemplatePolicies.grants(List.of(st), action,
                TemplatePolicies.SAMPLE_MODEL_ARN).isEmpty())
        .toList();
  }

  @Test
  void onlyTheRolloutStepsUpdateInferenceComponentsAndOnlyInferenceComponents() {
    Map<String, List<Map<String, Object>>> byFunction = TemplatePolicies.statementsByFunction();

    assertThat(TemplatePolicies.functionsAllowed(byFunction, "sagemaker:UpdateInferenceComponent"))
        .containsExactly("RolloutStepsFunction");
    assertThat(TemplatePolicies.functionsAllowed(byFunction, "sagemaker:DeleteInferenceComponent"))
        .isEmpty();
    assertThat(TemplatePolicies.functionsAllowed(byFunction, "sagemaker:CreateInferenceComponent"))
        .isEmpty();
    assertThat(beyondComponents(byFunction.get("RolloutStepsFunction"),
        "sagemaker:UpdateInferenceComponent")).isEmpty();
  }

  @Test
  void anUpdateGrantedBeyondInferenceComponentsIsCaught() {
    Map<String, Object> loose = new LinkedHashMap<>();
    loose.put("Effect", "Allow");
    loose.put("Action", List.of("sagemaker:UpdateInferenceComponent"));
    loose.put("Resource", "*");
    Map<String, Object> wildAction = new LinkedHashMap<>(loose);
    wildAction.put("Action", "sagemaker:Update*");

    assertThat(beyondComponents(List.of(loose), "sagemaker:UpdateInferenceComponent")).hasSize(1);
    assertThat(beyondComponents(List.of(wildAction), "sagemaker:UpdateInferenceComponent"))
        .hasSize(1);
  }
}
