package dev.poolshift.rollout.usecase;

import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.EXEC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import org.junit.jupiter.api.Test;

/** An inference-component rollout whose execution ended off its workflow. */
class ComponentReconcilerTest {
  private final RolloutWorld world = new RolloutWorld();
  private final Reconciler reconciler = new Reconciler(new Reconciler.Settings("poolshift-state"),
      world.store, world.executions, world.sageMaker, world.sageMaker, world.ledger,
      world.notifier, world.alarms, world.sageMaker, world.callbacks);

  @Test
  void aStoppedComponentRolloutIsLeftToAPersonWithItsModelsAndLock() {
    ComponentPlanStepsTest.componentEndpoint(world, ComponentPlanStepsTest.POOLS,
        ComponentPlanStepsTest.single());
    PlanDocument plan = world.plan();
    world.run(world.call("lock").plan(plan));
    world.run(world.call("createModels").plan(plan));
    world.run(world.call("updateComponents").plan(plan));
    world.executions.statuses.put(EXEC.id(), "ABORTED");

    Reconciler.Result r = reconciler.handle(Events.envelope("execution/aborted.json"));

    assertThat(r.endpoints()).singleElement()
        .satisfies(o -> assertThat(o.action()).isEqualTo("NEEDS_A_PERSON"));
    assertThat(world.store.locks).containsKey(ENDPOINT);
    assertThat(world.store.rollouts.get(ENDPOINT).phase()).isEqualTo(RolloutPhase.NEEDS_A_PERSON);
    assertThat(world.sageMaker.models).containsKeys(plan.models().toArray(String[]::new));
    assertThat(world.sageMaker.mutations).noneMatch(m -> m.startsWith("UpdateEndpoint")
        || m.startsWith("DeleteModel"));
    assertThat(world.ledger.last().outcome())
        .isEqualTo(dev.poolshift.rollout.Outcome.NEEDS_A_PERSON);
  }
}
