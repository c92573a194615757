package dev.poolshift.rollout.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.port.CallRetries;
import dev.poolshift.rollout.port.InstanceQuotas;
import dev.poolshift.rollout.port.InstanceUsage;
import dev.poolshift.rollout.port.RolloutMetrics;
import dev.poolshift.rollout.port.Dashboards;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.usecase.steps.Ports;
import dev.poolshift.rollout.usecase.steps.Settings;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A plan (a dry run too) says how many times its SageMaker calls were retried. */
class PlanRetriesTest {
  private final RolloutWorld world = new RolloutWorld();
  private final AtomicInteger retries = new AtomicInteger();

  private RolloutSteps steps(CallRetries counted) {
    return new RolloutSteps(new Settings(RolloutWorld.PREFIX,
        "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution", "poolshift-state"),
        new Ports(world.sageMaker, world.profiles, world.sageMaker, world.sageMaker, world.store,
            world.ledger, world.alarms, world.metrics, world.notifier, world.callbacks, ScalingTargets.NONE,
            InstanceQuotas.NONE, InstanceUsage.NONE, RolloutMetrics.NONE, Dashboards.NONE, counted));
  }

  @Test
  void aDryRunReportsTheRetriesItsCallsTook() {
    Map<String, Object> dryRun = Map.of("action", "plan", "modelPackageArn", RolloutWorld.ARN,
        "endpointName", RolloutWorld.ENDPOINT);
    // The count as it stands when planning is done: asked once, at the end.
    CallRetries counted = () -> retries.incrementAndGet() == 1 ? 4 : -1;

    PlanDocument plan = (PlanDocument) steps(counted)
        .run(world.call("plan").request(dryRun).name(), world.call("plan").request(dryRun).reader());

    assertThat(plan.sageMakerRetries()).isEqualTo(4);
    assertThat(retries).hasValue(1);
  }

  @Test
  void withoutACounterAPlanReportsNoRetries() {
    assertThat(world.plan().sageMakerRetries()).isZero();
  }
}
