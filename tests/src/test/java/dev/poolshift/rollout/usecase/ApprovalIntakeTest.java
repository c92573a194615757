package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.support.PlanDocument;
import static dev.poolshift.rollout.usecase.RolloutWorld.ARN;
import static dev.poolshift.rollout.usecase.RolloutWorld.BAKE_TOKEN;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.EXEC;
import static dev.poolshift.rollout.usecase.RolloutWorld.WAIT_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.plan.ExecutionNames;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.PackageRejectedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.event.ModelPackageStateChange;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.port.LedgerRecord;
import dev.poolshift.rollout.port.TokenRegistration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApprovalIntakeTest {
  private final RolloutWorld world = new RolloutWorld();
  private final ApprovalIntake intake = new ApprovalIntake(
      ApprovalIntake.Settings.fromStateMachineArn(
          "arn:aws:states:us-east-1:111122223333:stateMachine:poolshift-rollout"),
      world.profiles, world.sageMaker, world.executions, world.store, world.callbacks,
        world.sageMaker, world.ledger);

  private ApprovalIntake.Result handle(String sample) {
    return intake.handle(ModelPackageStateChange.parse(Events.envelope(sample)));
  }

  @Test
  void anApprovalStartsOneRolloutOfExactlyThatVersion() {
    ApprovalIntake.Result r = handle("model-package/approved.json");

    String name = ExecutionNames.forApproval(ModelPackageArn.parse(ARN));
    assertThat(r).isEqualTo(new ApprovalIntake.Result("STARTED", "rollout " + name + " started",
        name));
    assertThat(world.executions.started.get(name)).isEqualTo(Map.of("action", "deploy",
        "modelPackageArn", ARN, "trigger", Map.of("source", "registry-approval",
            "eventId", "7d2c0e7a-4b0f-2f4e-9a61-3c3b5b1f0a11",
            "by", "arn:aws:sts::111122223333:assumed-role/ml-ci/pipeline")));
  }

  @Test
  void theSameEventDeliveredTwiceStartsOneExecutionAndTheCopyIsADuplicate() {
    ApprovalIntake.Result first = handle("model-package/approved.json");
    ApprovalIntake.Result second = handle("model-package/approved.json");

    assertThat(first.outcome()).isEqualTo("STARTED");
    assertThat(second.outcome()).isEqualTo("DUPLICATE");
    assertThat(second.reason()).contains("RUNNING");
    assertThat(world.executions.started).hasSize(1);
  }

  @Test
  void anApprovalRedeliveredAfterTheRolloutEndedIsADuplicateNotANewRollout() {
    handle("model-package/approved.json");
    world.executions.statuses.replaceAll((arn, status) -> "SUCCEEDED");

    ApprovalIntake.Result again = handle("model-package/approved.json");

    assertThat(again.outcome()).isEqualTo("DUPLICATE");
    assertThat(again.reason()).contains("already exists");
    assertThat(world.executions.started).hasSize(1);
  }

  @Test
  void aMetadataOnlyReEmitStillSayingApprovedStartsNothing() {
    ApprovalIntake.Result r = handle("model-package/approved-metadata-reemit.json");

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(r.reason()).contains("metadata-only update [CustomerMetadataProperties]");
    assertThat(world.executions.calls).isZero();
  }

  @Test
  void aGroupWithoutAProfileStartsNothingAndSaysWhy() {
    world.profiles.byGroup.clear();

    ApprovalIntake.Result r = handle("model-package/approved.json");

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(r.reason()).isEqualTo("no deployment profile for model package group fraud-scoring");
    assertThat(world.executions.calls).isZero();
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void anApprovalTheRegistryNoLongerConfirmsStartsNothing() {
    world.sageMaker.packages.put(FakeSageMaker.key(ARN), new ModelPackage(ARN, "fraud-scoring",
        42, "Completed", "Rejected", List.of(), Map.of()));

    ApprovalIntake.Result r = handle("model-package/approved.json");

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(r.reason()).startsWith("approval not confirmed by DescribeModelPackage")
        .contains("Rejected");
    assertThat(world.executions.calls).isZero();
  }

  @Test
  void anApprovalSageMakerIsTooThrottledToConfirmStillStartsItsRolloutWhosePlanConfirmsIt() {
    world.sageMaker.describePackageThrottled = true;

    ApprovalIntake.Result r = handle("model-package/approved.json");

    String name = ExecutionNames.forApproval(ModelPackageArn.parse(ARN));
    assertThat(r.outcome()).as("not left to Lambda's two retries and the dead-letter queue").isEqualTo("STARTED");
    assertThat(world.executions.started.get(name)).containsEntry("modelPackageArn", ARN);
  }

  @Test
  void anApprovalFromAnotherAccountIsRefused() {
    ApprovalIntake.Result r = intake.handle(ModelPackageStateChange.parse(Events.envelope(
        "model-package/approved.json", d -> d.put("ModelPackageArn",
            "arn:aws:sagemaker:us-east-1:444455556666:model-package/fraud-scoring/42"))));
    ApprovalIntake.Result fromOtherRegion = intake.handle(ModelPackageStateChange.parse(
        Events.envelopeWith("model-package/approved.json", "region", "eu-west-1")));

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(r.reason()).contains("this stack deploys only 111122223333 / us-east-1");
    assertThat(fromOtherRegion.outcome()).isEqualTo("IGNORED");
    assertThat(world.executions.calls).isZero();
  }

  @Test
  void aMalformedEventIsANonRetryableErrorNamingTheField() {
    assertThatThrownBy(() -> ModelPackageStateChange.parse(Events.envelope(
        "model-package/approved.json", d -> d.remove("ModelPackageArn"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("detail.ModelPackageArn: required");
    assertThatThrownBy(() -> intake.handle(ModelPackageStateChange.parse(Events.envelope(
        "model-package/approved.json", d -> d.put("ModelPackageArn", "arn:aws:sagemaker:x")))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("detail.ModelPackageArn: must be a versioned model package ARN");
  }

  @Test
  void aRejectionOfTheLiveCanaryFailsItsBakeSoTheWorkflowRollsBack() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));

    ApprovalIntake.Result r = handle("model-package/rejected.json");

    assertThat(r.outcome()).isEqualTo("ROLLBACK_REQUESTED");
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.token()).isEqualTo(BAKE_TOKEN);
      assertThat(c.error()).isEqualTo(PackageRejectedException.class.getName());
      assertThat(c.cause()).contains("rejected in the Model Registry by "
          + "arn:aws:sts::111122223333:assumed-role/risk-reviewer/alice");
    });
    assertThat(world.store.tokens).isEmpty();
    assertThat(world.store.rollouts.get(ENDPOINT).stop().error())
        .isEqualTo(PackageRejectedException.class.getName());
  }

  @Test
  void aRejectionBetweenTwoWaitsIsHonouredByTheNextStep() {
    PlanDocument plan = world.atFirstStep();

    handle("model-package/rejected.json");

    assertThat(world.callbacks.sent).isEmpty();
    assertThatThrownBy(() -> world.run(world.call("startBake").plan(plan).stepIndex(0)
        .token(BAKE_TOKEN).bakeStartedAt(world.now)))
        .isInstanceOf(PackageRejectedException.class);
  }

  @Test
  void aRejectionNeverInterruptsAWayBack() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("restoreBaselineTraffic").plan(plan));
    world.store.register(new TokenRegistration(ENDPOINT, TokenKind.WAIT, EXEC.name(), WAIT_TOKEN,
        RolloutPhase.BASELINE_WEIGHTS, null, world.now, null, world.now));

    ApprovalIntake.Result r = handle("model-package/rejected.json");

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(world.callbacks.sent).isEmpty();
  }

  @Test
  void aRejectionOfAVersionNotBeingRolledOutChangesNothing() {
    ApprovalIntake.Result r = handle("model-package/rejected.json");

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(r.reason()).contains("no live canary");
  }

  @Test
  void aRejectionOfTheVersionTheEndpointServesStartsOneRollbackAwayFromIt() {
    world.ledger.put(new LedgerRecord(ENDPOINT, java.time.Instant.parse("2026-06-01T10:00:00Z"),
        "fraud-scoring-v42-0123456789ab", null, Outcome.PROMOTED, ARN, "fraud-scoring-prod-cfg-v40",
        RolloutWorld.BASELINE_CONFIG, java.time.Instant.parse("2026-06-01T11:00:00Z"), Map.of()));

    ApprovalIntake.Result r = handle("model-package/rejected.json");
    ApprovalIntake.Result again = handle("model-package/rejected.json");

    String name = ExecutionNames.forRejection(ModelPackageArn.parse(ARN));
    assertThat(r.outcome()).isEqualTo("ROLLBACK_STARTED");
    assertThat(r.executionName()).isEqualTo(name);
    assertThat(world.executions.started.get(name)).containsEntry("action", "rollback")
        .containsEntry("endpointName", ENDPOINT).containsEntry("modelPackageArn", ARN)
        .hasEntrySatisfying("trigger", t -> assertThat(t.toString())
            .contains("source=registry-rejection"));
    assertThat(again.outcome()).as("a redelivered rejection meets the first rollback")
        .isEqualTo("DUPLICATE");
    assertThat(world.executions.started).hasSize(1);
  }

  @Test
  void aRejectionOfAVersionTheEndpointNoLongerServesStartsNothing() {
    world.ledger.put(new LedgerRecord(ENDPOINT, java.time.Instant.parse("2026-06-01T10:00:00Z"),
        "fraud-scoring-v42-0123456789ab", null, Outcome.PROMOTED, ARN, "fraud-scoring-prod-cfg-v40",
        "fraud-scoring-prod-cfg-v42", java.time.Instant.parse("2026-06-01T11:00:00Z"), Map.of()));

    ApprovalIntake.Result r = handle("model-package/rejected.json");

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(r.reason()).contains("not the release the endpoint serves");
    assertThat(world.executions.started).isEmpty();
  }
}
