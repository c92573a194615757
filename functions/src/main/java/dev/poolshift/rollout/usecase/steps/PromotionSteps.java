package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.near;
import static dev.poolshift.rollout.usecase.steps.StepSupport.poolMix;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryRejectedException;
import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.canary.GateOutcome;
import dev.poolshift.rollout.canary.Verdict;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.plan.RolloutPlan;
import dev.poolshift.rollout.pool.PoolLanding;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepResults.ConfigCreated;
import dev.poolshift.rollout.usecase.steps.StepResults.Verification;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promotion section of the workflow: the final config (one pooled variant under the
 * baseline's name) and UpdateEndpoint to it, then a check that SageMaker serves what was asked.
 */
final class PromotionSteps {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionSteps.class);

  private final Ports ports;
  private final StepGuard guard;
  private final EndpointMoves moves;

  PromotionSteps(Ports ports, StepGuard guard, EndpointMoves moves) {
    this.ports = ports;
    this.guard = guard;
    this.moves = moves;
  }

  /** The final config (one pooled variant under the baseline's name) and UpdateEndpoint to it. */
  ConfigCreated promote(OnPlan in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    RolloutPlan rollout = plan.rollout();
    String ep = plan.endpointName();
    guard.requireNoStop(ep, owner);
    EndpointState s = ports.endpoints().describe(ep);
    boolean already = plan.finalConfigName().equals(s.endpointConfigName())
        || plan.finalConfigName().equals(s.pendingConfigName());
    if (!already && !plan.canaryConfigName().equals(s.endpointConfigName())) {
      throw new DeploymentFailedException("endpoint " + ep + " runs config "
          + s.endpointConfigName() + ", not the canary config " + plan.canaryConfigName()
          + "; not promoting what was not canaried (FailureReason: " + reason(s) + ")");
    }
    ports.store().setPhase(ep, owner, RolloutPhase.FINAL_FLEET, null);
    ports.endpoints().createConfig(rollout.finalConfig());
    if (!already) {
      // Taken out before the canary already; again in case someone registered it meanwhile.
      moves.suspendScaling(plan, owner, in.now());
    }
    moves.apply(rollout.finalUpdate(List.of()));
    LOG.info("promotion to the final config requested",
        entry("endpointConfigName", plan.finalConfigName()),
        entry("pools", rollout.requestedPools().stream()
            .map(p -> p.priority() + ":" + p.instanceType()).toList()));
    return new ConfigCreated(plan.finalConfigName());
  }

  Verification verifyPromoted(OnPlan in) {
    PlanDocument plan = in.plan();
    RolloutPlan rollout = plan.rollout();
    EndpointState s = ports.endpoints().describe(plan.endpointName());
    Verification v = verifyFinal(plan, rollout, s);
    ports.store().appendHistory(plan.endpointName(), in.execution().name(),
        new HistoryEntry.PromotedFleet(in.now(), v.live(), v.reason(), poolMix(v.poolMix())));
    LOG.info("promotion verified", entry("live", v.live()), entry("status", s.status()),
        entry("endpointConfigName", s.endpointConfigName()), entry("poolMix", poolMix(v.poolMix())),
        entry("reason", v.reason()));
    return v;
  }

  private static Verification verifyFinal(PlanDocument plan, RolloutPlan rollout,
      EndpointState s) {
    String failed = DeploymentFailedException.class.getName();
    if (!s.inService()) {
      return new Verification(false, failed, "endpoint " + plan.endpointName() + " is "
          + s.status() + " after the promotion; FailureReason: " + reason(s), List.of());
    }
    if (!plan.finalConfigName().equals(s.endpointConfigName())) {
      return new Verification(false, failed, "SageMaker did not complete the promotion:"
          + " endpoint " + plan.endpointName() + " runs config " + s.endpointConfigName()
          + ", not " + plan.finalConfigName() + " (rolled back); FailureReason: " + reason(s),
          List.of());
    }
    Set<String> expected = new HashSet<>(rollout.finalConfig().variantNames());
    Set<String> actual = new HashSet<>();
    s.productionVariants().forEach(v -> actual.add(v.variantName()));
    if (!expected.equals(actual)) {
      return new Verification(false, failed, "endpoint reports variants " + actual
          + "; the final config has " + expected, List.of());
    }
    VariantState promoted = s.variant(plan.baseline().variantName());
    VariantSpec spec = rollout.finalConfig().variant(plan.baseline().variantName());
    double weight = spec.initialVariantWeight() == null ? 1.0 : spec.initialVariantWeight();
    if (!near(promoted.currentWeight(), weight)) {
      return new Verification(false, failed, "variant " + promoted.variantName() + " has weight "
          + promoted.currentWeight() + "; expected " + weight, promoted.instancePools());
    }
    GateOutcome.Decision landing = new PoolLanding(rollout.requestedPools(),
        promoted.instancePools()).judge(rollout.profile().fallbackPolicy());
    if (landing.verdict() != Verdict.CONTINUE) {
      return new Verification(false, CanaryRejectedException.class.getName(),
          "promoted fleet: " + landing.reason(), promoted.instancePools());
    }
    return new Verification(true, null, "endpoint " + plan.endpointName() + " serves "
        + plan.modelPackageArn() + " from " + plan.finalConfigName() + "; " + landing.reason(),
        promoted.instancePools());
  }
}
