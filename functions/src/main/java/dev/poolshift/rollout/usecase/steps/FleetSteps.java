package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.near;
import static dev.poolshift.rollout.usecase.steps.StepSupport.poolMix;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static dev.poolshift.rollout.usecase.steps.StepSupport.startedAt;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryRejectedException;
import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.canary.GateOutcome;
import dev.poolshift.rollout.canary.Verdict;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.plan.RolloutPlan;
import dev.poolshift.rollout.pool.PoolLanding;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.AlarmMapping;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import dev.poolshift.rollout.usecase.steps.StepInputs.AwaitingEndpoint;
import dev.poolshift.rollout.usecase.steps.StepInputs.Observing;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepInputs.Verifying;
import dev.poolshift.rollout.usecase.steps.StepInputs.ToConfig;
import dev.poolshift.rollout.usecase.steps.StepResults.ConfigCreated;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.ModelsCreated;
import dev.poolshift.rollout.usecase.steps.StepResults.Verification;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet section of the workflow: lock the endpoint, create the models and the canary config,
 * move the endpoint onto it, wait for it to settle (event-driven, with a DescribeEndpoint
 * backstop), and check the canary fleet came up where the fallback policy allows.
 */
final class FleetSteps {
  private static final Logger LOG = LoggerFactory.getLogger(FleetSteps.class);

  private final Ports ports;
  private final StepGuard guard;
  private final EndpointMoves moves;

  FleetSteps(Ports ports, StepGuard guard, EndpointMoves moves) {
    this.ports = ports;
    this.guard = guard;
    this.moves = moves;
  }

  /**
   * Takes the endpoint (lock + active-rollout record + alarm mappings, atomically). Another
   * execution holding it throws {@link EndpointLockedException}: the workflow plans again, and
   * the plan applies the profile's concurrency policy. Whether the endpoint still runs the
   * config the plan was made from is checked where it matters, right before the move onto the
   * canary config (see {@link #updateEndpoint}): that check covers the whole gap since the
   * plan, with the DescribeEndpoint the move needs anyway.
   */
  Done lock(OnPlan in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    HistoryEntry locked = new HistoryEntry.Locked(now, plan.action());
    ActiveRollout active = plan.isRollback()
        ? ReturnSteps.activeRollout(plan, exec, startedAt(exec, now), locked)
        : new ActiveRollout(plan.endpointName(), exec.name(), exec.id(),
            plan.modelPackageArn(), plan.baseline().endpointConfigName(),
            plan.baseline().variantName(), plan.baseline().weight(), plan.canaryConfigName(),
            plan.canaryVariantName(), plan.finalConfigName(), plan.models(), plan.allAlarms(),
            plan.allManagedAlarms(), plan.trigger(), startedAt(exec, now), RolloutPhase.LOCKED,
            null, null, List.of(locked));
    try {
      ports.store().lock(new EndpointLock(plan.endpointName(), exec.name(), exec.id(),
          plan.modelPackageArn(), now), active, plan.allAlarms().stream()
          .map(a -> new AlarmMapping(a, plan.endpointName(), exec.name())).toList());
    } catch (EndpointLockedException e) {
      LOG.info("endpoint locked by another rollout since the plan; planning again",
          entry("holder", e.holder()));
      throw e;
    }
    ports.signals().started(plan, exec);
    LOG.info("endpoint locked for the rollout", entry("alarms", plan.alarms()));
    return Done.INSTANCE;
  }

  // ------------------------------------------------------------------ resources

  ModelsCreated createModels(OnPlan in) {
    List<ModelToCreate> models = in.plan().components() != null
        ? in.plan().components().models() : in.plan().rollout().models();
    for (ModelToCreate model : models) {
      ports.registry().createModel(model);
    }
    List<String> names = models.stream().map(ModelToCreate::modelName).toList();
    LOG.info("models created", entry("models", names));
    return new ModelsCreated(names);
  }

  ConfigCreated createCanaryConfig(OnPlan in) {
    RolloutPlan rollout = in.plan().rollout();
    ports.endpoints().createConfig(rollout.canaryConfig());
    LOG.info("canary endpoint config created",
        entry("endpointConfigName", rollout.canaryConfig().name()),
        entry("variants", rollout.canaryConfig().variantNames()));
    return new ConfigCreated(rollout.canaryConfig().name());
  }

  Done updateEndpoint(ToConfig in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    String target = in.endpointConfigName();
    EndpointUpdate update;
    RolloutPhase phase;
    if (target.equals(plan.canaryConfigName())) {
      update = plan.rollout().canaryUpdate(List.of());
      phase = RolloutPhase.CANARY_FLEET;
    } else if (target.equals(plan.finalConfigName())) {
      update = plan.rollout().finalUpdate(List.of());
      phase = RolloutPhase.FINAL_FLEET;
    } else {
      throw new InvalidInputException("rollout step updateEndpoint", "endpointConfigName",
          "must be the plan's canary or final config (got " + target + ")");
    }
    guard.requireNoStop(plan.endpointName(), owner);
    EndpointState before = ports.endpoints().describe(plan.endpointName());
    if (phase == RolloutPhase.CANARY_FLEET) {
      requireBaseline(plan, before);
    }
    ports.store().setPhase(plan.endpointName(), owner, phase, null);
    moves.suspendScaling(plan, owner, in.now());
    moves.apply(update, before);
    if (before.inService() && target.equals(before.endpointConfigName())) {
      moves.noteSettled(plan.endpointName(), in.now());
    }
    LOG.info("endpoint update to the new config requested", entry("endpointConfigName", target),
        entry("phase", phase.wire()));
    return Done.INSTANCE;
  }
  /**
   * The endpoint still runs the config the plan was made from (or, on a retry, already moves to
   * or runs the canary config): someone who changed it since the plan made the plan's baseline
   * stale, and nothing of the endpoint has been touched yet.
   */
  private static void requireBaseline(PlanDocument plan, EndpointState endpoint) {
    String baseline = plan.baseline().endpointConfigName();
    String canary = plan.canaryConfigName();
    String running = endpoint.endpointConfigName();
    String pending = endpoint.pendingConfigName();
    boolean fromBaseline = baseline.equals(running)
        && (pending == null || baseline.equals(pending) || canary.equals(pending));
    if (fromBaseline || canary.equals(running)) {
      return;
    }
    throw new IncompatibleEndpointException("endpoint " + plan.endpointName() + " runs config "
        + running + (pending == null ? "" : " (deploying " + pending + ")")
        + " but the plan was made from " + baseline + "; nothing was changed, start the rollout"
        + " again");
  }

  // ------------------------------------------------------------------ waits

  /**
   * Parks the wait's token, then looks: when the endpoint has already settled (the event came
   * before the token was parked, or there was nothing to wait for), completes the wait itself.
   *
   * <p>A forward wait follows the rollout's own move, which SageMaker answers with an endpoint
   * event when it ends; it looks only when the endpoint was noted settled since (an event that
   * found no token parked, or a move that sent nothing): one DescribeEndpoint fewer per move,
   * with no event lost. A rollback's wait always looks: it may follow a move it did not make.
   */
  Done awaitEndpoint(AwaitingEndpoint in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    Instant now = in.now();
    RolloutPhase phase = in.phase();
    TaskToken token = in.taskToken();
    String ep = plan.endpointName();
    long bound = phase == RolloutPhase.CANARY_WEIGHTS || phase == RolloutPhase.BASELINE_WEIGHTS
        ? plan.weightsWaitSeconds()
        : phase == RolloutPhase.FINAL_FLEET && plan.promotion() != null
            ? plan.promotion().waitSeconds() : plan.fleetWaitSeconds();
    ports.store().register(new TokenRegistration(ep, TokenKind.WAIT, owner, token, phase, null,
        now, null, now.plusSeconds(bound + StepSupport.TOKEN_TTL_SLACK_SECONDS)));
    if (phase.forward()) {
      guard.requireNoStopOr(ep, owner, () -> ports.store().deregister(ep, TokenKind.WAIT, token));
    }
    Optional<Instant> noted = ports.store().takeSettled(ep);
    boolean sinceTheMove = noted.isPresent()
        && (in.movedAt() == null || !noted.get().isBefore(in.movedAt()));
    if (phase.forward() && !sinceTheMove) {
      LOG.info("waiting for the endpoint-state event", entry("phase", phase.wire()));
      return Done.INSTANCE;
    }
    Observation observation = Observation.of(ports.endpoints().describe(ep), now);
    if (observation.settled()) {
      CallbackResult result = ports.callbacks().succeed(token, observation);
      ports.store().deregister(ep, TokenKind.WAIT, token);
      LOG.info("endpoint already settled; wait completed at once", entry("phase", phase.wire()),
          entry("status", observation.status()),
          entry("endpointConfigName", observation.endpointConfigName()),
          entry("callback", result.name()));
    } else {
      LOG.info("waiting for the endpoint-state event", entry("phase", phase.wire()),
          entry("status", observation.status()),
          entry("pendingConfigName", observation.pendingConfigName()));
    }
    return Done.INSTANCE;
  }

  /** The backstop after a wait timed out: read the endpoint directly. */
  Observation observeEndpoint(Observing in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    RolloutPhase phase = in.phase();
    Observation observation = Observation.of(ports.endpoints().describe(plan.endpointName()),
        in.now());
    if (observation.settled()) {
      ports.store().deregisterOwned(plan.endpointName(), TokenKind.WAIT, owner);
    }
    LOG.info("no endpoint event within the backstop; read DescribeEndpoint",
        entry("phase", phase.wire()), entry("status", observation.status()),
        entry("settled", observation.settled()));
    return observation;
  }

  // ------------------------------------------------------------------ canary

  /**
   * The canary fleet is live when the endpoint is InService on the canary config (SageMaker
   * rolls a failed update back on its own, sometimes without a FailureReason), with both
   * variants at the weights asked and the fleet on hardware the fallback policy accepts.
   */
  Verification verifyCanaryFleet(Verifying in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    Instant now = in.now();
    RolloutPlan rollout = plan.rollout();
    EndpointState s = StepSupport.endpointNow(ports.endpoints(), plan.endpointName(),
        in.observation(), now);
    Verification v = verifyCanary(plan, rollout, s);
    ports.store().appendHistory(plan.endpointName(), owner,
        new HistoryEntry.FleetChecked(now, v.live(), v.reason(), poolMix(v.poolMix())));
    LOG.info("canary fleet verified", entry("live", v.live()), entry("status", s.status()),
        entry("endpointConfigName", s.endpointConfigName()), entry("poolMix", poolMix(v.poolMix())),
        entry("fallbackPolicy", rollout.profile().fallbackPolicy().wire()),
        entry("reason", v.reason()));
    return v;
  }

  private static Verification verifyCanary(PlanDocument plan, RolloutPlan rollout,
      EndpointState s) {
    String failed = DeploymentFailedException.class.getName();
    if (!s.inService()) {
      return new Verification(false, failed, "endpoint " + plan.endpointName() + " is "
          + s.status() + " after the canary update; FailureReason: " + reason(s), List.of());
    }
    if (!plan.canaryConfigName().equals(s.endpointConfigName())) {
      return new Verification(false, failed, "SageMaker did not complete the canary update:"
          + " endpoint " + plan.endpointName() + " runs config " + s.endpointConfigName()
          + ", not " + plan.canaryConfigName() + " (rolled back); FailureReason: " + reason(s),
          List.of());
    }
    VariantState baseline = s.variant(plan.baseline().variantName());
    VariantState canary = s.variant(plan.canaryVariantName());
    if (baseline == null || canary == null) {
      return new Verification(false, failed, "endpoint " + plan.endpointName() + " reports"
          + " variants " + s.productionVariants().stream().map(VariantState::variantName).toList()
          + "; expected " + plan.baseline().variantName() + " and " + plan.canaryVariantName(),
          List.of());
    }
    if (!near(baseline.currentWeight(), plan.baseline().weight())
        || !near(canary.currentWeight(), 0.0)) {
      return new Verification(false, failed, "weights after the canary update are "
          + plan.baseline().variantName() + "=" + baseline.currentWeight() + ", "
          + plan.canaryVariantName() + "=" + canary.currentWeight() + "; expected "
          + plan.baseline().weight() + " and 0", canary.instancePools());
    }
    if (canary.currentInstanceCount() != null && canary.currentInstanceCount() == 0) {
      return new Verification(false, failed, "canary variant " + plan.canaryVariantName()
          + " has no instances", canary.instancePools());
    }
    GateOutcome.Decision landing = new PoolLanding(rollout.requestedPools(),
        canary.instancePools()).judge(rollout.profile().fallbackPolicy());
    if (landing.verdict() != Verdict.CONTINUE) {
      return new Verification(false, CanaryRejectedException.class.getName(), landing.reason()
          + (landing.verdict() == Verdict.INCONCLUSIVE
              ? "; a person must accept this hardware, so the rollout rolls back" : ""),
          canary.instancePools());
    }
    return new Verification(true, null, landing.reason(), canary.instancePools());
  }

}
