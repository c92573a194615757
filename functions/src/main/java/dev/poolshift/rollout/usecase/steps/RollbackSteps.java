package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.near;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static dev.poolshift.rollout.usecase.steps.StepSupport.weightMap;

import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepInputs.TurningBack;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.ReturnCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollback section of the workflow: traffic first (all weight back on the baseline variant
 * in one call), then the fleet (back to the config recorded before the rollout), then a check.
 */
final class RollbackSteps {
  private static final Logger LOG = LoggerFactory.getLogger(RollbackSteps.class);

  private final Ports ports;

  RollbackSteps(Ports ports) {
    this.ports = ports;
  }

  /** Traffic first: all weight back on the baseline variant, in one call. */
  Done restoreBaselineTraffic(TurningBack in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    String ep = plan.endpointName();
    ports.store().setPhase(ep, owner, RolloutPhase.BASELINE_WEIGHTS, null);
    EndpointState s = ports.endpoints().describe(ep);
    StepGuard.requireWritable(s, ep);
    if (plan.canaryConfigName().equals(s.endpointConfigName())) {
      ports.traffic().setWeights(ep, plan.rollout().baselineWeights());
      LOG.atInfo().addKeyValue("weights", weightMap(plan.rollout().baselineWeights()))
          .addKeyValue("failure", in.failure() == null ? null : in.failure().error())
          .log("baseline weights restored");
    } else {
      LOG.atInfo().addKeyValue("endpointConfigName", s.endpointConfigName())
          .addKeyValue("pendingConfigName", s.pendingConfigName())
          .addKeyValue("failure", in.failure() == null ? null : in.failure().error())
          .log("canary config not active; no weights to restore");
    }
    return Done.INSTANCE;
  }

  /** Then the fleet: back to the config recorded before the rollout. */
  Done restoreBaselineConfig(OnPlan in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    String ep = plan.endpointName();
    ports.store().setPhase(ep, owner, RolloutPhase.BASELINE_FLEET, null);
    StepGuard.requireWritable(ports.endpoints().describe(ep), ep);
    ports.endpoints().update(plan.rollout().restoreBaselineUpdate());
    LOG.atInfo().addKeyValue("endpointConfigName", plan.baseline().endpointConfigName())
        .log("endpoint update back to the baseline config requested");
    return Done.INSTANCE;
  }

  ReturnCheck verifyBaseline(OnPlan in) {
    PlanDocument plan = in.plan();
    EndpointState s = ports.endpoints().describe(plan.endpointName());
    String baseline = plan.baseline().endpointConfigName();
    VariantState v = s.variant(plan.baseline().variantName());
    String problem = !s.inService() ? "endpoint is " + s.status() + " (FailureReason: "
        + reason(s) + ")"
        : !baseline.equals(s.endpointConfigName()) ? "endpoint runs " + s.endpointConfigName()
            + ", not the baseline " + baseline
        : s.pendingConfigName() != null ? "endpoint is deploying " + s.pendingConfigName()
        : v == null ? "baseline variant " + plan.baseline().variantName() + " is missing"
        : !near(v.currentWeight(), plan.baseline().weight()) ? "baseline variant weight is "
            + v.currentWeight() + ", expected " + plan.baseline().weight()
        : s.variant(plan.canaryVariantName()) != null ? "canary variant still present"
        : null;
    boolean live = problem == null;
    String reason = live ? "endpoint " + plan.endpointName() + " serves all traffic from its"
        + " baseline config " + baseline : problem;
    LOG.atInfo().addKeyValue("live", live).addKeyValue("status", s.status())
        .addKeyValue("endpointConfigName", s.endpointConfigName()).addKeyValue("reason", reason)
        .log("baseline verified");
    return new ReturnCheck(live, EndpointState.NEEDS_A_PERSON.contains(s.status()),
        live ? null : DeploymentFailedException.class.getName(), reason);
  }
}
