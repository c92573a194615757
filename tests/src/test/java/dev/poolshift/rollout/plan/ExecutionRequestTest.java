package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.Trigger;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.PoolPreference;
import dev.poolshift.rollout.profile.Thresholds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
    assertThat(r.trigger()).isEqualTo(new Trigger("registry-approval", null,
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
            + " continue, abort (got \"rollout\")")
        .hasMessageContaining("modelPackageArn: must be a versioned model package ARN")
        .hasMessageContaining("endpointName: must be letters, digits and hyphens");
  }

  @Test
  void inputThatIsNotAnObjectSaysSo() {
    assertThatThrownBy(() -> ExecutionRequest.parse("deploy v42"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("(root): must be a JSON object (got string)");
  }

  @Test
  void eachConsoleExampleParsesAsItsAction() throws Exception {
    for (String action : ExecutionRequest.ACTIONS) {
      Object json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
          java.nio.file.Path.of("events/console/" + action + ".json").toFile(), Object.class);

      ExecutionRequest r = ExecutionRequest.parse(json);

      assertThat(r.action()).isEqualTo(action);
      assertThat(r.endpointName()).isEqualTo("fraud-scoring-prod");
      assertThat(r.trigger().by()).endsWith("@example.com");
    }
  }

  @Test
  void overridesReplaceOnlyWhatTheyNameAndPoolsAreTakenAsRanked() {
    ExecutionRequest r = ExecutionRequest.parse(Map.of("action", "deploy", "modelPackageArn", ARN,
        "endpointName", "fraud-scoring-prod",
        "instancePools", java.util.List.of(Map.of("instanceType", "ml.g6.2xlarge", "priority", 1)),
        "thresholds", Map.of("p99LatencyMs", 80)));
    DeploymentProfile profile = DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn("arn:aws:iam::111122223333:role/x").pool("ml.g5.2xlarge")
        .thresholds(new Thresholds(0.002, null)).build();

    DeploymentProfile applied = r.overrides().applyTo(profile, false);

    assertThat(r.overrides().fields()).containsExactly("instancePools", "thresholds.p99LatencyMs");
    assertThat(applied.instancePools()).extracting(PoolPreference::instanceType)
        .containsExactly("ml.g6.2xlarge");
    assertThat(applied.keepCurrentTypeFirst()).isFalse();
    assertThat(applied.overrideExistingPools()).isTrue();
    assertThat(applied.thresholds()).isEqualTo(new Thresholds(0.002, 80));
    assertThat(applied.canarySteps()).isEqualTo(profile.canarySteps());
    assertThat(applied.bakeSeconds()).isEqualTo(profile.bakeSeconds());
  }

  @Test
  void migrateReplacesPoolsTheEndpointAlreadyRunsOn() {
    ExecutionRequest r = ExecutionRequest.parse(Map.of("action", "migrate",
        "endpointName", "fraud-scoring-prod", "reason", "onto pools"));
    DeploymentProfile profile = DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn("arn:aws:iam::111122223333:role/x").pool("ml.g5.2xlarge").build();

    assertThat(r.modelPackageArn()).as("the served package is found at plan time").isNull();
    assertThat(r.overrides().applyTo(profile, true).overrideExistingPools()).isTrue();
    assertThat(r.overrides().applyTo(profile, false).overrideExistingPools()).isFalse();
  }

  @Test
  void aMigrateNamesAModelOutsideTheRegistryOrAPackageButNotBoth() {
    ExecutionRequest r = ExecutionRequest.parse(Map.of("action", "migrate",
        "endpointName", "churn-scoring-prod", "modelName", "churn-xgb-2026-05", "reason", "x"));

    assertThat(r.modelName()).isEqualTo("churn-xgb-2026-05");
    assertThat(r.modelPackageArn()).isNull();
    assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", "migrate",
        "endpointName", "fraud-scoring-prod", "modelPackageArn", ARN, "modelName", "fraud-xgb")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("modelName: give the package the endpoint serves (modelPackageArn)"
            + " or, for a model that did not come from the Model Registry, the model (modelName),"
            + " not both");
    assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", "migrate",
        "endpointName", "fraud-scoring-prod", "modelName", "fraud/xgb")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("modelName: ");
  }

  @Test
  void onlyAMigrateNamesAModel() {
    for (String action : List.of("deploy", "plan", "rollback", "abort")) {
      assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", action,
          "endpointName", "fraud-scoring-prod", "modelPackageArn", ARN, "modelName", "fraud-xgb",
          "reason", "x")))
          .as(action).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("modelName: not used by action " + action);
    }
  }

  @Test
  void actionsOnARunningRolloutTakeAReasonAndNoPackageOrOverrides() {
    assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", "promote",
        "endpointName", "fraud-scoring-prod", "modelPackageArn", ARN, "bakeSeconds", 60)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("modelPackageArn: not used by action promote")
        .hasMessageContaining("bakeSeconds: not used by action promote")
        .hasMessageContaining("reason: required for promote");
  }

  @Test
  void continueNamesTheHeldRolloutLikePromoteAndTakesNothingElse() {
    ExecutionRequest r = ExecutionRequest.parse(Map.of("action", "continue",
        "endpointName", "fraud-scoring-prod", "executionName", "fraud-scoring-v2-0123abcd",
        "reason", "10% clean, go to 50%"));

    assertThat(r.operatorAction()).isTrue();
    assertThat(r.canaried()).isFalse();
    assertThat(r.executionName()).isEqualTo("fraud-scoring-v2-0123abcd");
    assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", "continue",
        "endpointName", "fraud-scoring-prod", "canarySteps", List.of(50, 100), "stepIndex", 1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("stepIndex: unknown field")
        .hasMessageContaining("canarySteps: not used by action continue")
        .hasMessageContaining("reason: required for continue");
  }

  @Test
  void onlyTheIntakeDeploysWithoutNamingTheEndpoint() {
    assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", "abort", "reason", "x",
        "trigger", Map.of("source", "registry-approval"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("trigger.source: registry-approval starts deploys only")
        .hasMessageContaining("endpointName: required");
  }

  @Test
  void anOversizedInputIsRefusedBeforeItIsRead() {
    InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
        InvalidInputException.class, () -> ExecutionRequest.parse(Map.of("action", "deploy",
            "modelPackageArn", ARN, "endpointName", "fraud-scoring-prod",
            "reason", "x".repeat(ExecutionRequest.MAX_INPUT_BYTES))));

    assertThat(e.errors()).singleElement().satisfies(err -> {
      assertThat(err.path()).isEqualTo("(root)");
      assertThat(err.message()).startsWith("must be at most 8192 bytes of JSON (got about 8");
    });
  }

  @Test
  void aRegistryRejectionStartsOnlyARollbackThatNamesTheRejectedVersion() {
    String arn = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42";
    ExecutionRequest ok = ExecutionRequest.parse(Map.of("action", "rollback", "endpointName",
        "fraud-scoring-prod", "modelPackageArn", arn, "reason", "rejected",
        "trigger", Map.of("source", "registry-rejection")));

    assertThat(ok.leavesRejectedVersion()).isTrue();
    assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", "deploy", "endpointName",
        "fraud-scoring-prod", "modelPackageArn", arn, "trigger",
        Map.of("source", "registry-rejection"))))
        .hasMessageContaining("trigger.source: registry-rejection starts rollbacks only");
    assertThatThrownBy(() -> ExecutionRequest.parse(Map.of("action", "rollback", "endpointName",
        "fraud-scoring-prod", "reason", "rejected", "trigger",
        Map.of("source", "registry-rejection"))))
        .hasMessageContaining("modelPackageArn");
    assertThat(ExecutionRequest.parse(Map.of("action", "rollback", "endpointName",
        "fraud-scoring-prod", "reason", "console")).leavesRejectedVersion()).isFalse();
  }
}
