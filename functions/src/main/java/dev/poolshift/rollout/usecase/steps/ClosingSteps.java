package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.history;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.CanaryRejectedException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.ScalingNotRestoredException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.Notification;
import dev.poolshift.rollout.port.ScalingTargets.ScalingSetup;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.usecase.steps.StepInputs.Escalating;
import dev.poolshift.rollout.usecase.steps.StepInputs.Notifying;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.usecase.steps.StepInputs.Recording;
import dev.poolshift.rollout.usecase.steps.StepInputs.Refusing;
import dev.poolshift.rollout.usecase.support.Refusal;
import dev.poolshift.rollout.usecase.steps.StepInputs.TurningBack;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.Recorded;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.Failure;
import dev.poolshift.rollout.usecase.support.LedgerEntries;
import dev.poolshift.rollout.usecase.support.Notifications;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.support.Release;
import dev.poolshift.rollout.usecase.support.ScalingHold;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every rollout ends: record the outcome in the ledger, let go of the endpoint (auto scaling
 * back first), notify on-call; or, when the way back failed, page a person and keep the lock.
 */
final class ClosingSteps {
  private static final Logger LOG = LoggerFactory.getLogger(ClosingSteps.class);

  private final Settings settings;
  private final Ports ports;
  private final StepGuard guard;
  private final Release release;

  ClosingSteps(Settings settings, Ports ports, StepGuard guard, Release release) {
    this.settings = settings;
    this.ports = ports;
    this.guard = guard;
    this.release = release;
  }

  /**
   * Records the outcome. A rollout rolled back before any weight was shifted to its canary never
   * moved traffic: that is recorded as FAILED (the canary fleet did not come up), not ROLLED_BACK.
   */
  Recorded record(Recording in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    Outcome outcome = in.outcome();
    List<HistoryEntry> history = history(plan, exec);
    boolean trafficMoved = history.stream().anyMatch(HistoryEntry.Shifted.class::isInstance)
        || switchedAndJudged(plan, in.failure());
    String summary = outcome.name();
    EndpointState held = null;
    if (outcome == Outcome.ROLLED_BACK && !plan.isRollback()) {
      EndpointState s = guard.describeForMessage(plan.endpointName());
      held = plan.heldOnBaselineVariant(s) ? s : null;
      summary = held != null ? plan.heldReason(held)
          : "all traffic is back on the baseline of " + plan.endpointName() + " ("
              + plan.baseline().endpointConfigName() + "): "
              + (in.failure() == null ? "no cause recorded" : in.failure().message());
    }
    if (outcome == Outcome.ROLLED_BACK && !plan.isRollback() && !trafficMoved) {
      outcome = Outcome.FAILED;
      summary = "no traffic moved to canary " + plan.canaryVariantName() + ": its fleet did not"
          + " come up where the profile allows; " + (held != null ? plan.heldReason(held)
              : "endpoint " + plan.endpointName() + " is back on " + plan.baseline()
                  .endpointConfigName()) + " ("
          + (in.failure() == null ? "no cause recorded" : in.failure().message()) + ")";
    }
    if (held != null) {
      // The lock stays for the reconciler: the fleet is not back, and nothing else may start
      // on an endpoint whose config is the canary's.
      ports.store().appendHistory(plan.endpointName(), exec.name(), new HistoryEntry
          .CleanupPending(now, "workflow", 1, held.failureReason()));
      LOG.warn("traffic is on the baseline variant but the baseline config could not be"
          + " provisioned again; cleanup left to the reconciler",
          entry("endpointConfigName", held.endpointConfigName()),
          entry("failureReason", held.failureReason()));
    }
    RolloutPhase phase = switch (outcome) {
      case PROMOTED -> RolloutPhase.PROMOTED;
      case ROLLED_BACK -> RolloutPhase.ROLLED_BACK;
      case FAILED -> RolloutPhase.FAILED;
      case NEEDS_A_PERSON, REJECTED -> throw new InvalidInputException("rollout step record",
          "outcome", "must be PROMOTED, ROLLED_BACK or FAILED (got " + outcome + "; escalate and"
              + " refused record those)");
    };
    writeRecord(plan, exec, outcome, in.failure(), in.observation(), now);
    ports.signals().ended(plan, exec, outcome, history, StepSupport.startedAt(exec, now), now,
        plan.isRollback() && outcome == Outcome.FAILED);
    ports.store().setPhase(plan.endpointName(), exec.name(),
        held != null ? RolloutPhase.CLEANUP_PENDING : phase, null);
    return new Recorded(outcome, summary);
  }

  /**
   * A blue/green switch (asynchronous endpoint) shifts no weights: its traffic moved when an
   * alarm or the gate judged the new fleet, which they can only do on requests it served. A
   * switch whose fleet never came up fails for another reason and stays FAILED.
   */
  private static boolean switchedAndJudged(PlanDocument plan, Failure failure) {
    if (plan.components() != null) {
      // An inference component's rolling update moves traffic as its new copies start: any way
      // back from it is a rollback.
      return failure != null;
    }
    return plan.rollout() != null && plan.rollout().blueGreenSwitch() && failure != null
        && (CanaryAlarmException.class.getName().equals(failure.error())
            || CanaryRejectedException.class.getName().equals(failure.error()));
  }

  private List<HistoryEntry> history(PlanDocument plan, ExecutionRef exec) {
    return ports.store().rollout(plan.endpointName()).filter(r -> r.ownedBy(exec.name()))
        .map(ActiveRollout::history).orElse(List.of());
  }

  private void writeRecord(PlanDocument plan, ExecutionRef exec, Outcome outcome,
      Failure failure, Observation observation, Instant now) {
    Optional<ActiveRollout> rollout = ports.store().rollout(plan.endpointName()).filter(r -> r.ownedBy(exec.name()));
    List<HistoryEntry> history = rollout.map(ActiveRollout::history).orElse(List.of());
    ports.ledger().put(LedgerEntries.fromPlan(plan, exec, outcome, failure, observation,
        history, rollout.map(ActiveRollout::sageMakerRetries).orElse(0), now));
    LOG.info("rollout recorded in the ledger", entry("outcome", outcome),
        entry("failure", failure == null ? null : failure.error()));
  }

  /**
   * Lets go of the endpoint; a rollback whose fleet is not back (cleanup pending) hands it to the
   * reconciler instead: what only the workflow used goes, the lock and what the endpoint still
   * runs stay.
   */
  Done unlock(OnPlan in) {
    PlanDocument plan = in.plan();
    Optional<RolloutPhase> phase = ports.store().rollout(plan.endpointName())
        .filter(r -> r.ownedBy(in.execution().name())).map(ActiveRollout::phase);
    if (phase.filter(p -> p == RolloutPhase.CLEANUP_PENDING).isPresent()) {
      release.handOver(target(plan, in.execution(), false));
    } else {
      // Only a promotion changes the variant's scaling; anything else puts it back as it was.
      boolean promoted = phase.filter(p -> p == RolloutPhase.PROMOTED).isPresent()
          && !plan.isRollback();
      release.release(target(plan, in.execution(), promoted), in.now(),
          promoted && plan.rollout() != null ? plan.rollout().scalingPolicy() : null);
    }
    return Done.INSTANCE;
  }

  Done notifyOutcome(Notifying in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Outcome outcome = in.outcome();
    EndpointState now = in.observation() == null ? null
        : in.observation().freshAt(plan.endpointName(), in.now()).orElse(null);
    if (now == null) {
      now = guard.describeForMessage(plan.endpointName());
    }
    Notification n = switch (outcome) {
      case PROMOTED -> Notifications.promoted(plan, exec, now);
      case ROLLED_BACK -> plan.isRollback()
          ? Notifications.returnedToPrevious(plan, exec, now)
          : plan.heldOnBaselineVariant(now)
              ? Notifications.rolledBackCleanupPending(plan, exec, in.failure(), now)
              : Notifications.rolledBack(plan, exec, in.failure(), now);
      case FAILED -> plan.isRollback()
          ? Notifications.returnFailed(plan, exec, in.failure(), now)
          : plan.heldOnBaselineVariant(now)
              ? Notifications.rolledBackCleanupPending(plan, exec, in.failure(), now)
              : Notifications.failedBeforeTraffic(plan, exec, in.failure(), now);
      case NEEDS_A_PERSON, REJECTED -> throw new InvalidInputException("rollout step notify",
          "outcome", "must be PROMOTED, ROLLED_BACK or FAILED (got " + outcome + "; escalate"
              + " and refused notify those)");
    };
    ports.notifier().publish(n);
    LOG.info("on-call notified", entry("outcome", outcome), entry("subject", n.subject()));
    return Done.INSTANCE;
  }

  /** A start that failed before the endpoint was touched: record it, let go, tell on-call. */
  Done abandon(TurningBack in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    writeRecord(plan, exec, Outcome.FAILED, in.failure(), null, in.now());
    ports.signals().ended(plan, exec, Outcome.FAILED, history(plan, exec),
        StepSupport.startedAt(exec, in.now()), in.now(), false);
    release.release(target(plan, exec, false), in.now());
    ports.notifier().publish(Notifications.failedStart(plan, exec, in.failure()));
    return Done.INSTANCE;
  }

  /**
   * A start refused or failed before it held the endpoint (the plan or the lock said no, a
   * queue wait ran out, the plan failed on errors that outlasted its retries): nothing was
   * changed, but an approval must never vanish. The ledger gets the attempt under the endpoint
   * (when it can be told from the request or the group's profile), and on-call gets the reason
   * and the console input that tries again (a console start is not blocked by the approval's
   * execution name). Dry runs and operator actions are answered in the console and left out.
   */
  Done refused(Refusing in) {
    ExecutionRef exec = in.execution();
    Refusal r = Refusal.of(in.plan(), in.request(), ports.profiles());
    if (r.action() == null || ExecutionRequest.PLAN.equals(r.action())
        || ExecutionRequest.PROMOTE.equals(r.action()) || ExecutionRequest.CONTINUE.equals(r.action())
        || ExecutionRequest.ABORT.equals(r.action())) {
      LOG.info("refused request answered in the console only", entry("action", r.action()));
      return Done.INSTANCE;
    }
    Outcome outcome = in.outcome() == Outcome.REJECTED ? Outcome.REJECTED : Outcome.FAILED;
    if (r.endpointName() != null) {
      ports.ledger().put(LedgerEntries.refused(r, exec, outcome, in.failure(), in.now()));
    }
    ports.notifier().publish(Notifications.refused(r, exec, outcome, in.failure()));
    ports.signals().refused(r.endpointName(), exec.name(), outcome);
    LOG.info("refused start recorded and notified", entry("outcome", outcome),
        entry("failure", in.failure() == null ? null : in.failure().error()),
        entry("ledgered", r.endpointName() != null));
    return Done.INSTANCE;
  }

  /**
   * The way back failed: record it, page a person with the evidence, and keep the lock so no
   * automated write (a new rollout, the reconciler) touches the endpoint until someone has
   * looked.
   */
  Done escalate(Escalating in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    String ep = plan.endpointName();
    ports.store().setPhase(ep, exec.name(), RolloutPhase.NEEDS_A_PERSON, null);
    for (TokenKind kind : TokenKind.values()) {
      ports.store().deregisterOwned(ep, kind, exec.name());
    }
    ports.store().takeSettled(ep);
    EndpointState s = guard.describeForMessage(ep);
    writeRecord(plan, exec, Outcome.NEEDS_A_PERSON, in.failure(),
        s == null ? null : Observation.of(s, now), now);
    ports.signals().ended(plan, exec, Outcome.NEEDS_A_PERSON, history(plan, exec),
        StepSupport.startedAt(exec, now), now, true);
    boolean scalingOnly = in.failure() != null
        && ScalingNotRestoredException.class.getName().equals(in.failure().error());
    ports.notifier().publish(scalingOnly
        ? Notifications.scalingNotRestored(plan, exec, in.failure(), s, settings.stateTable())
        : ScalingHold.withKeptSetup(plan.isRollback()
            ? Notifications.returnNeedsAPerson(plan, exec, in.failure(), s, settings.stateTable())
            : Notifications.needsAPerson(plan, exec, in.failure(),
                in.phase() == null ? null : in.phase().wire(), s,
                settings.stateTable()), keptScaling(ep, exec.name())));
    // Whoever waits on this endpoint (a queued rollout, an operator's action) looks again now:
    // the lock stays, and they must hear that rather than wait out their bound.
    release.wakeWaiters(ep, exec.name());
    LOG.info("rollout needs a person; lock kept, no further automated writes",
        entry("phase", in.phase() == null ? null : in.phase().wire()),
        entry("failure", in.failure() == null ? null : in.failure().error()),
        entry("status", s == null ? null : s.status()));
    return Done.INSTANCE;
  }

  // ------------------------------------------------------------------ helpers

  /** The auto scaling setup kept on the owner's lock, or null. */
  private ScalingTargets.ScalingSetup keptScaling(String ep, String owner) {
    return ports.store().lockOf(ep).filter(l -> l.owner().equals(owner))
        .map(EndpointLock::scaling).orElse(null);
  }

  /** @param promoted whether the rollout ends promoted (what its models run in then) */
  private static Release.Target target(PlanDocument plan, ExecutionRef exec, boolean promoted) {
    if (plan.components() != null) {
      // Components, not the endpoint config, run an inference-component rollout's models: kept
      // once promoted, unused otherwise (every copy is back on the models it ran before).
      return new Release.Target(plan.endpointName(), exec.name(),
          plan.baseline().endpointConfigName(), null, plan.finalConfigName(), plan.models(),
          plan.allAlarms(), plan.allManagedAlarms(),
          promoted ? java.util.Set.copyOf(plan.models()) : java.util.Set.of());
    }
    // A blue/green switch (an asynchronous endpoint) never creates its canary config.
    boolean switched = plan.rollout() != null && plan.rollout().blueGreenSwitch();
    return new Release.Target(plan.endpointName(), exec.name(),
        plan.baseline().endpointConfigName(), switched ? null : plan.canaryConfigName(),
        plan.finalConfigName(),
        plan.models(), plan.allAlarms(), plan.allManagedAlarms(),
        plan.rollout() == null || plan.rollout().finalConfig() == null ? null
            : plan.rollout().finalConfig().modelNames());
  }
}
