package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.steps.Ports;
import dev.poolshift.rollout.usecase.steps.Settings;
import dev.poolshift.rollout.usecase.steps.StepResults;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.ResourceLimitExceededException;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.port.InstanceQuotas;
import dev.poolshift.rollout.port.InstanceUsage;
import dev.poolshift.rollout.port.ScalingTargets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan step's quota headroom, with the quota and usage ports faked. */
class PlanQuotaTest {
  private final RolloutWorld world = new RolloutWorld();
  private final List<Integer> usageReads = new ArrayList<>();

  private RolloutSteps steps(InstanceQuotas quotas, InstanceUsage usage) {
    return new RolloutSteps(new Settings(RolloutWorld.PREFIX,
        "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution", "poolshift-state"),
        new Ports(world.sageMaker, world.profiles, world.sageMaker, world.sageMaker, world.store,
            world.ledger, world.alarms, world.metrics, world.notifier, world.callbacks, ScalingTargets.NONE,
            quotas, max -> {
              usageReads.add(max);
              return usage.endpointInstances(max);
            }));
  }

  private static Map<String, Object> dryRun() {
    return Map.of("action", "plan", "modelPackageArn", RolloutWorld.ARN, "endpointName", RolloutWorld.ENDPOINT);
  }

  @Test
  void usageIsCountedOnBoundedEndpointsOnlyWhenSomeQuotaIsListed() {
    PlanDocument plan = (PlanDocument) steps(types -> Map.of(), max -> {
      throw new AssertionError("not needed");
    }).run(world.call("plan").request(dryRun()).name(), world.call("plan").request(dryRun()).reader());

    assertThat(usageReads).isEmpty();
    assertThat(plan.risks()).anyMatch(r -> r.startsWith("Service Quotas lists no applied \"for endpoint usage\""));

    steps(types -> Map.of("ml.g5.2xlarge", 20), max -> new InstanceUsage.Usage(Map.of("ml.g5.2xlarge", 2), 1, true))
        .run(world.call("plan").request(dryRun()).name(), world.call("plan").request(dryRun()).reader());
    assertThat(usageReads).containsExactly(dev.poolshift.rollout.usecase.steps.PlanChecks.MAX_ENDPOINTS_COUNTED);
  }

  @Test
  void usageThatCannotBeReadCountsThisEndpointAndSaysTheCountIsPartial() {
    PlanDocument plan = (PlanDocument) steps(types -> Map.of("ml.g5.2xlarge", 20), max -> {
      throw new ServiceCallException("ListEndpoints: AccessDeniedException: no", null);
    }).run(world.call("plan").request(dryRun()).name(), world.call("plan").request(dryRun()).reader());

    assertThat(plan.risks()).anySatisfy(r -> assertThat(r).contains("ml.g5.2xlarge quota 20, in use 2")
        .contains("in use counts 1 endpoint only"));
  }

  @Test
  void quotasThatCannotBeReadAreARiskAndNeverStopARollout() {
    PlanDocument plan = (PlanDocument) steps(types -> {
      throw new TransientServiceException("ListServiceQuotas sagemaker: TooManyRequestsException: slow", null);
    }, InstanceUsage.NONE).run(world.call("plan").request(RolloutWorld.deployRequest()).name(), world.call("plan").request(RolloutWorld.deployRequest()).reader());

    assertThat(plan.risks()).anySatisfy(r -> assertThat(r).startsWith("could not read the \"<type> for endpoint"
        + " usage\" quotas from Service Quotas (ListServiceQuotas sagemaker: TooManyRequestsException"));
  }

  @Test
  void aDeployWhoseCanaryConfigCannotFitIsRefusedBeforeAnyChange() {
    // Every type the baseline copy and the canary could land on is at its quota.
    RolloutSteps steps = steps(types -> Map.of("ml.g5.2xlarge", 3, "ml.g5.4xlarge", 0,
        "ml.g6.2xlarge", 0), max -> new InstanceUsage.Usage(Map.of("ml.g5.2xlarge", 3), 4, true));

    assertThatThrownBy(() -> steps.run(world.call("plan").request(RolloutWorld.deployRequest()).name(), world.call("plan").request(RolloutWorld.deployRequest()).reader()))
        .isInstanceOf(ResourceLimitExceededException.class)
        .hasMessageContaining("of the canary config has no pool with quota headroom")
        .hasMessageContaining("was not started and nothing was changed");
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.store.locks).isEmpty();
  }
}
