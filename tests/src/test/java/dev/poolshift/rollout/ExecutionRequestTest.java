package dev.poolshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionRequestTest {
  private static final String ARN =
      "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42";

  @Test
  void anApprovalNeedsNoEndpointNameTheProfileHasIt() {
    ExecutionRequest r = ExecutionRequest.parse(Map.of("action", "deploy", "modelPackageArn", ARN,
        "trigger", Map.of("source", "registry-approval", "eventId", "e-1")));

    assertThat(r.endpointName()).isNull();
    assertThat(r.trigger()).isEqualTo(new ExecutionRequest.Trigger("registry-approval", null,
        "e-1"));
    assertThat(r.dryRun()).isFalse();
  }

  @Test
  void aPersonsInputDefaultsToDeployFromTheConsole() {
    ExecutionRequest r = ExecutionRequest.parse(Map.of("modelPackageArn", ARN,
        "endpointName", "fraud-scoring-prod"));

    assertThat(r.action()).isEqualTo("deploy");
    assertThat(r.trigger().source()).isEqualTo("console");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", "rollout",
        "modelPackageArn", "arn:aws:sagemaker:us-east-1:1:model-package/x/1",
        "endpointName", "../x", "skipAlarmCheck", true)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("skipAlarmCheck: unknown field")
        .hasMessageContaining("action: must be one of deploy, plan, migrate, rollback, promote,"
            + " abort (got \"rollout\")")
        .hasMessageContaining("modelPackageArn: must be a versioned model package ARN")
        .hasMessageContaining("endpointName: must be letters, digits and hyphens");
  }

  @Test
  void inputThatIsNotAnObjectSaysSo() {
    assertThatThrownBy(() -> ExecutionRequest.parse("deploy v42"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("(root): must be a JSON object (got string)");
  }
}
