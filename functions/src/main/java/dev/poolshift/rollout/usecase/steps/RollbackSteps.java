package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.near;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static dev.poolshift.rollout.usecase.steps.StepSupport.weightMap;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepInputs.TurningBack;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.ReturnCheck;
import dev.poolshift.rollout.usecase.support.PlanDocument;
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
      ports.traffic().setWeights(s, plan.rollout().baselineWeights());
      LOG.info("baseline weights restored",
          entry("weights", weightMap(plan.rollout().baselineWeights())),
          entry("failure", in.failure() == null ? null : in.failure().error()));
    } else {
      LOG.info("canary config not active; no weights to restore",
          entry("endpointConfigName", s.endpointConfigName()),
          entry("pendingConfigName", s.pendingConfigName()),
          entry("failure", in.failure() == null ? null : in.failure().error()));
    }
    ports.signals().turnedAround(plan, in.execution(),
        ports.store().rollout(ep).filter(r -> r.ownedBy(owner)), in.now());
    return Done.INSTANCE;
  }

  /** Then the fleet: back to the config recorded before the rollout. */
  Done restoreBaselineConfig(OnPlan in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    String ep = plan.endpointName();
    ports.store().setPhase(ep, owner, RolloutPhase.BASELINE_FLEET, null);
    EndpointState s = ports.endpoints().describe(ep);
    StepGuard.requireWritable(s, ep);
    ports.endpoints().update(plan.rollout().restoreBaselineUpdate(), s);
    LOG.info("endpoint update back to the baseline config requested",
        entry("endpointConfigName", plan.baseline().endpointConfigName()));
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
    // The way back to the baseline config is a blue/green update too: in a shortage of the
    // baseline's own type SageMaker cannot provision it and keeps the canary config, whose
    // baseline copy (on the ranked pools) already serves all traffic. That is a rollback as far
    // as traffic goes; the fleet is the reconciler's to finish. Retrying here would loop on the
    // shortage.
    boolean held = !live && plan.heldOnBaselineVariant(s);
    String reason = live ? "endpoint " + plan.endpointName() + " serves all traffic from its"
        + " baseline config " + baseline
        : held ? plan.heldReason(s)
        : problem;
    LOG.info("baseline verified", entry("live", live), entry("held", held),
        entry("status", s.status()), entry("endpointConfigName", s.endpointConfigName()),
        entry("reason", reason));
    return new ReturnCheck(live, EndpointState.NEEDS_A_PERSON.contains(s.status()), held,
        live ? null : DeploymentFailedException.class.getName(), reason);
  }
}
