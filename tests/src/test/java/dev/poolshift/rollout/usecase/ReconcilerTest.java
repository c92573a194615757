package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.support.PlanDocument;
import static dev.poolshift.rollout.usecase.RolloutWorld.BASELINE_CONFIG;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.EXEC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.RolloutPhase;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private final RolloutWorld world = new RolloutWorld();
  private final Reconciler reconciler = new Reconciler(new Reconciler.Settings("poolshift-state"),
      world.store, world.executions, world.sageMaker, world.sageMaker, world.ledger,
      world.notifier, world.alarms, world.sageMaker, world.callbacks);

  private Reconciler.Outcome pass(String sample) {
    Reconciler.Result r = reconciler.handle(Events.envelope(sample));
    assertThat(r.endpoints()).hasSize(1);
    return r.endpoints().getFirst();
  }

  @Test
  void aRunningRolloutIsLeftAlone() {
    world.atFirstStep();
    world.executions.statuses.put(EXEC.id(), "RUNNING");

    assertThat(pass("scheduler/reconciler-sweep.json").action()).isEqualTo("SKIPPED");
    assertThat(world.store.locks).containsKey(ENDPOINT);
  }

  @Test
  void anAbortedCanaryGoesBackTrafficFirstThenTheFleetThenIsReleased() {
    PlanDocument plan = world.atFirstStep();
    world.executions.statuses.put(EXEC.id(), "ABORTED");

    Reconciler.Outcome first = pass("execution/aborted.json");
    world.sageMaker.completeWeights(ENDPOINT);
    Reconciler.Outcome second = pass("scheduler/reconciler-sweep.json");
    Reconciler.Outcome waiting = pass("scheduler/reconciler-sweep.json");
    world.sageMaker.completeUpdate(ENDPOINT);
    Reconciler.Outcome third = pass("scheduler/reconciler-sweep.json");

    assertThat(first.action()).isEqualTo("RESTORING_TRAFFIC");
    assertThat(second.action()).isEqualTo("RESTORING_CONFIG");
    assertThat(waiting.action()).isEqualTo("WAITING");
    assertThat(third.action()).isEqualTo("RESTORED");
    assertThat(world.sageMaker.mutations).containsSubsequence(
        "UpdateEndpointWeightsAndCapacities " + ENDPOINT + " [AllTraffic=1.0, canary-v42=0.0]",
        "UpdateEndpoint " + ENDPOINT + " " + BASELINE_CONFIG);
    assertThat(world.store.locks).isEmpty();
    assertThat(world.store.rollouts).isEmpty();
    assertThat(world.sageMaker.configs).doesNotContainKey(plan.canaryConfigName());
    assertThat(world.ledger.last().outcome()).isEqualTo(dev.poolshift.rollout.Outcome.ROLLED_BACK);
    assertThat(world.notifier.last().subject())
        .isEqualTo("Poolshift: fraud-scoring-prod restored after its rollout ended ABORTED");
    assertThat(pass0()).isZero();
  }

  @Test
  void theStatusEventOnlyReconcilesItsOwnExecutionsLocks() {
    abortedWithAnotherEndpointLocked();

    Reconciler.Result r = reconciler.handle(Events.envelope("execution/aborted.json"));

    assertThat(r.endpoints()).extracting(Reconciler.Outcome::endpointName)
        .containsExactly(ENDPOINT);
  }

  @Test
  void aSettledEndpointReadsItsOwnLockWithoutScanningEveryLock() {
    abortedWithAnotherEndpointLocked();

    Reconciler.Result r = reconciler.handle(Events.envelope("endpoint/in-service.json"));

    assertThat(r.endpoints()).extracting(Reconciler.Outcome::endpointName).containsExactly(ENDPOINT);
    assertThat(r.endpoints().getFirst().action()).isEqualTo("RESTORING_TRAFFIC");
    assertThat(world.store.lockScans).as("every endpoint settles several times per rollout").isZero();
  }

  @Test
  void aSettledEndpointWithoutALockIsNothingToDo() {
    lockAnotherEndpoint();

    assertThat(reconciler.handle(Events.envelope("endpoint/in-service.json")).endpoints()).isEmpty();
  }

  @Test
  void aRolloutThatFinishedButDidNotReleaseIsReleasedWithoutTouchingTheEndpoint() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("promote").plan(plan));
    world.sageMaker.completeUpdate(ENDPOINT);
    world.run(world.call("record").plan(plan).outcome("PROMOTED"));
    world.executions.statuses.put(EXEC.id(), "FAILED");
    int before = world.sageMaker.mutations.size();

    Reconciler.Outcome o = pass("scheduler/reconciler-sweep.json");

    assertThat(o.action()).isEqualTo("RELEASED");
    assertThat(world.sageMaker.mutations.subList(before, world.sageMaker.mutations.size()))
        .noneMatch(m -> m.startsWith("Update"));
    assertThat(world.sageMaker.endpoints.get(ENDPOINT).endpointConfigName())
        .isEqualTo(plan.finalConfigName());
    assertThat(world.store.locks).isEmpty();
  }

  @Test
  void aRolloutThatNeedsAPersonKeepsItsLock() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("escalate").plan(plan).phase("baseline-fleet"));
    world.executions.statuses.put(EXEC.id(), "FAILED");

    Reconciler.Outcome o = pass("scheduler/reconciler-sweep.json");

    assertThat(o.action()).isEqualTo("SKIPPED");
    assertThat(world.store.locks).containsKey(ENDPOINT);
  }

  @Test
  void aFailedEndpointIsHandedToAPersonOnce() {
    world.atFirstStep();
    world.executions.statuses.put(EXEC.id(), "TIMED_OUT");
    world.sageMaker.status(ENDPOINT, "Failed", "InsufficientInstanceCapacity");

    Reconciler.Outcome first = pass("scheduler/reconciler-sweep.json");
    Reconciler.Outcome second = pass("scheduler/reconciler-sweep.json");

    assertThat(first.action()).isEqualTo("NEEDS_A_PERSON");
    assertThat(second.action()).isEqualTo("SKIPPED");
    assertThat(world.store.rollouts.get(ENDPOINT).phase()).isEqualTo(RolloutPhase.NEEDS_A_PERSON);
    assertThat(world.notifier.sent).hasSize(1);
    assertThat(world.notifier.last().body()).contains("InsufficientInstanceCapacity");
    assertThat(world.ledger.last().outcome()).isEqualTo(dev.poolshift.rollout.Outcome.NEEDS_A_PERSON);
  }

  @Test
  void aLockOfAnExecutionStepFunctionsNoLongerKnowsIsReconciledToo() {
    world.atFirstStep();

    assertThat(pass("scheduler/reconciler-sweep.json").action()).isEqualTo("RESTORING_TRAFFIC");
  }

  /** Our rollout's execution was aborted at its first step, and another endpoint is locked. */
  private void abortedWithAnotherEndpointLocked() {
    world.atFirstStep();
    world.executions.statuses.put(EXEC.id(), "ABORTED");
    lockAnotherEndpoint();
  }

  private void lockAnotherEndpoint() {
    world.store.locks.put("churn-prod", new dev.poolshift.rollout.port.EndpointLock("churn-prod",
        "churn-v7-aaaaaaaaaaaa", "arn:churn", "arn:pkg", world.now));
  }

  private int pass0() {
    return reconciler.handle(Events.envelope("scheduler/reconciler-sweep.json")).endpoints()
        .size();
  }
}
