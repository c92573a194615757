package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.RolloutSupersededException;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.Release;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.Waiter;
import dev.poolshift.rollout.profile.ConcurrencyPolicy;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepInputs.Parking;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.Superseded;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.support.TurnAround;
import dev.poolshift.rollout.usecase.support.WaitOutputs.EndpointReleased;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second rollout for an endpoint another one holds, under the profile's {@code queue} or
 * {@code supersede} policy. It never touches the endpoint while the other holds it: it parks a
 * waiter in the state table and the holder's release wakes it; then it plans again from scratch
 * (the endpoint has changed under it) and takes the lock like any rollout. Under
 * {@code supersede} it first asks the holder to turn around, through the holder's own stored
 * state (a stop request and its parked waits, as a canary alarm does), so the holder's
 * workflow returns the canary to its baseline before letting go: never two executions writing.
 */
final class QueueSteps {
  private static final Logger LOG = LoggerFactory.getLogger(QueueSteps.class);
  /** Waiter items outlive their wait by a day, then DynamoDB's TTL removes them. */
  private static final long TTL_SLACK_SECONDS = 86_400;

  private final RolloutStore store;
  private final TaskCallbacks callbacks;

  QueueSteps(RolloutStore store, TaskCallbacks callbacks) {
    this.store = store;
    this.callbacks = callbacks;
  }

  /**
   * Asks the rollout holding the endpoint to return to its baseline. A holder already on its
   * way back, or gone, is left alone; one that needs a person refuses the newcomer.
   */
  Superseded supersede(OnPlan in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    String ep = plan.endpointName();
    Optional<EndpointLock> lock = store.lockOf(ep).filter(l -> !l.owner().equals(exec.name()));
    ActiveRollout holder = lock.flatMap(l -> store.rollout(ep).filter(r -> r.ownedBy(l.owner())))
        .orElse(null);
    if (holder == null) {
      LOG.info("nothing to supersede: the endpoint is free");
      return new Superseded(null, null, "no rollout holds endpoint " + ep + " any more",
          List.of());
    }
    if (holder.phase() == RolloutPhase.NEEDS_A_PERSON) {
      throw new EndpointLockedException(ep, holder.executionName(), "endpoint " + ep
          + " locked by execution " + holder.executionName() + ", which needs a person: it is"
          + " not superseded, and no rollout starts until someone has looked and released it");
    }
    if (!holder.phase().forward()) {
      LOG.info("holder is not moving forward; nothing to supersede, waiting for it",
          entry("holder", holder.executionName()), entry("holderPhase", holder.phase().wire()));
      return new Superseded(holder.executionName(), holder.phase().wire(),
          "already " + holder.phase().wire() + "; waiting for it to end", List.of());
    }
    StopRequest stop = new StopRequest(RolloutSupersededException.class.getName(),
        "superseded by execution " + exec.name() + " (" + plan.modelPackageArn()
            + (plan.trigger() == null || plan.trigger().by() == null ? ""
                : ", started by " + plan.trigger().by())
            + "): the canary returns to its baseline first, then the newer rollout starts",
        now);
    store.requestStop(ep, holder.executionName(), stop);
    List<TokenKind> failed = TurnAround.failWaits(store, callbacks, holder, stop);
    store.appendHistory(ep, holder.executionName(),
        new HistoryEntry.Superseded(now, exec.name(), plan.modelPackageArn()));
    List<String> waitsFailed = failed.stream().map(Enum::name).toList();
    LOG.info("superseding the running rollout: it returns to its baseline first",
        entry("holder", holder.executionName()), entry("holderPhase", holder.phase().wire()),
        entry("waitsFailed", waitsFailed));
    return new Superseded(holder.executionName(), holder.phase().wire(),
        "asked to return to its baseline", waitsFailed);
  }

  /**
   * Parks this execution until the endpoint is let go of, then looks: a lock already gone (or
   * this execution's) completes the wait at once.
   */
  Done awaitLock(Parking in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    TaskToken token = in.taskToken();
    String ep = plan.endpointName();
    PlanDocument.Contention c = plan.contention();
    store.registerWaiter(new Waiter(ep, exec.name(), Waiter.FOR_LOCK,
        c == null ? null : c.holder(), token, now,
        now.plusSeconds((c == null ? 0 : c.waitSeconds()) + TTL_SLACK_SECONDS)));
    Optional<EndpointLock> lock = store.lockOf(ep);
    if (lock.isEmpty() || lock.get().owner().equals(exec.name())) {
      CallbackResult result = callbacks.succeed(token,
          new EndpointReleased(ep, c == null ? null : c.holder()));
      store.deregisterWaiter(ep, exec.name());
      LOG.info("endpoint already free; wait for it completed at once",
          entry("callback", result.name()));
    } else {
      LOG.info("waiting for the rollout holding the endpoint to end",
          entry("holder", lock.get().owner()),
          entry("queueWaitSeconds", c == null ? null : c.waitSeconds()));
    }
    return Done.INSTANCE;
  }

  /** The wait ended without the endpoint (bound reached, or an error): unpark. */
  Done leave(OnPlan in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    boolean removed = store.deregisterWaiter(plan.endpointName(), exec.name());
    LOG.info("stopped waiting for the endpoint", entry("waiterRemoved", removed));
    return Done.INSTANCE;
  }

  /**
   * Another rollout holds the endpoint: a dry run says so; otherwise the profile's policy
   * decides. Nothing is changed here: superseding the holder is a step of its own.
   */
  PlanDocument contended(ExecutionRef exec, ExecutionRequest request,
      Release release, ModelPackage pkg, DeploymentProfile profile, EndpointLock lock) {
    String arn = pkg == null ? null : release.wire();
    String ep = profile.endpointName();
    ActiveRollout holder = store.rollout(ep).filter(r -> r.ownedBy(lock.owner()))
        .orElse(null);
    String phase = holder == null || holder.phase() == null ? "unknown" : holder.phase().wire();
    ConcurrencyPolicy policy = profile.concurrencyPolicy();
    String holding = "endpoint " + ep + " locked by execution " + lock.owner() + " (phase "
        + phase + ", package " + lock.modelPackageArn() + ")";
    if (pkg == null) {
      holding += "; this migrate ships " + release.describe();
    }
    if (request.dryRun()) {
      PlanDocument plan = PlanDocument.bare(request.action(), exec.name(), ep, arn,
          request.trigger(), request.reason());
      LOG.info("dry run while another rollout holds the endpoint", entry("holder", lock.owner()),
          entry("holderPhase", phase));
      return plan.withRisks(List.of(holding + ": a deploy now would "
          + switch (policy) {
            case REJECT -> "be rejected (concurrencyPolicy reject)";
            case QUEUE -> "wait up to " + profile.queueWaitSeconds() + " s for it to end"
                + " (concurrencyPolicy queue)";
            case SUPERSEDE -> "first return it to its baseline (concurrencyPolicy supersede)";
          } + "; plan again once it has ended to see the config diff and risks"));
    }
    if (holder != null && holder.phase() == RolloutPhase.NEEDS_A_PERSON) {
      throw new EndpointLockedException(ep, lock.owner(), "endpoint " + ep + " locked by"
          + " execution " + lock.owner() + ", which needs a person: its way back could not be"
          + " verified, so no rollout starts until someone has looked and released the lock"
          + " (see that rollout's notification)");
    }
    LOG.info("endpoint locked by another rollout", entry("holder", lock.owner()),
        entry("holderPhase", phase), entry("concurrencyPolicy", policy.wire()));
    if (policy == ConcurrencyPolicy.REJECT) {
      throw new EndpointLockedException(ep, lock.owner(), "endpoint " + ep + " locked by"
          + " execution " + lock.owner() + " (concurrencyPolicy reject: nothing was changed;"
          + " start this rollout again once " + lock.owner() + " has ended)");
    }
    PlanDocument plan = PlanDocument.bare(request.action(), exec.name(), ep, arn,
        request.trigger(), request.reason());
    return new PlanDocument(plan.action(), plan.deploymentId(), ep, plan.modelPackageArn(),
        pkg == null ? null : pkg.groupName(), pkg == null ? 0 : pkg.version(), null, null, null,
        null, List.of(), List.of(), 0, 0, 0, 0,
        List.of(), List.of(), request.trigger(), List.of(holding), List.of(), null,
        request.reason(), request.overrides().fields(), false, null, null, null, 0, null, null, 0)
        .waitingFor(new PlanDocument.Contention(lock.owner(), phase, policy.wire(),
            profile.queueWaitSeconds()));
  }
}
