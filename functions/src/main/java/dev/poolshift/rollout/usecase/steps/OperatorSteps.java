package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.history;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.OperatorAbortException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.plan.WaitBounds;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.LedgerRecord;
import dev.poolshift.rollout.port.Promotion;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import dev.poolshift.rollout.port.Waiter;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepInputs.Parking;
import dev.poolshift.rollout.usecase.steps.StepResults.ActionReport;
import dev.poolshift.rollout.usecase.steps.StepResults.Delivered;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.OperatorDecision;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.support.TurnAround;
import dev.poolshift.rollout.usecase.support.WaitOutputs.BakeCut;
import dev.poolshift.rollout.usecase.support.WaitOutputs.EndpointReleased;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console actions on a running rollout, {@code promote}, {@code continue} and {@code abort}.
 * They never take
 * the lock and never call SageMaker: they reach the rollout through its stored state (the
 * active-rollout record and the waits it parked) and the rollout's own workflow does the work,
 * so an action cannot race the rollout it acts on.
 * <ul>
 *   <li>promote: a promotion request on the endpoint, then the parked HOLD is completed with the
 *       decision "promote", or the parked BAKE is completed so its gate runs now; with neither
 *       parked, the next bake or hold finds the request and completes itself. The gate promotes
 *       unless an alarm is in ALARM.
 *   <li>continue: only a step parked in a HOLD (inconclusive, waiting for a person): its token is
 *       completed with the decision "continue" and the workflow shifts to the next canary step
 *       (promotes after the last), which bakes and is judged as usual. Argo Rollouts' step-wise
 *       promote. Unlike promote it leaves no request behind: a rollout that is not held now is
 *       refused, naming what it is doing, and nothing changes (a continue that waited for a
 *       later hold would decide a step nobody looked at).
 *   <li>abort: a stop request on the rollout, then its parked forward waits are failed with
 *       {@link OperatorAbortException} (as a canary alarm does); with none parked, its next
 *       forward step throws it. Its rollback returns traffic and fleet to the baseline.
 * </ul>
 * The action then waits (a waiter the rollout's release wakes) and reports the rollout's outcome
 * from the ledger.
 */
final class OperatorSteps {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorSteps.class);
  private static final long TTL_SLACK_SECONDS = 86_400;

  private final RolloutStore store;
  private final TaskCallbacks callbacks;
  private final Ledger ledger;

  OperatorSteps(RolloutStore store, TaskCallbacks callbacks, Ledger ledger) {
    this.store = store;
    this.callbacks = callbacks;
    this.ledger = ledger;
  }

  /** Read-only: which rollout the action is for, and whether it can take it now. */
  PlanDocument plan(ExecutionRef exec, ExecutionRequest request) {
    String ep = request.endpointName();
    String action = request.action();
    EndpointLock lock = store.lockOf(ep).orElseThrow(() -> new InvalidInputException(
        "rollout input", "endpointName", "no rollout is running on endpoint " + ep
            + ": nothing to " + action + (ExecutionRequest.ABORT.equals(action)
                ? " (to go back to the release before the current one, use action rollback)"
                : "")));
    if (request.executionName() != null && !request.executionName().equals(lock.owner())) {
      throw new InvalidInputException("rollout input", "executionName", "the rollout running"
          + " on endpoint " + ep + " is " + lock.owner() + ", not " + request.executionName()
          + "; nothing was changed");
    }
    ActiveRollout rollout = store.rollout(ep).filter(r -> r.ownedBy(lock.owner()))
        .orElseThrow(() -> new IncompatibleEndpointException("endpoint " + ep + " is locked by "
            + lock.owner() + " but it has no rollout record (it is starting or ending); try"
            + " again in a minute"));
    String reason = requireActionable(action, rollout);
    PlanDocument.Target target = new PlanDocument.Target(rollout.executionName(),
        rollout.phase().wire(), rollout.stepIndex(), rollout.modelPackageArn());
    PlanDocument plan = PlanDocument.bare(action, exec.name(), ep, rollout.modelPackageArn(),
        request.trigger(), request.reason()).forTarget(target,
        WaitBounds.OUTCOME_WATCH_SECONDS).withRisks(List.of(reason));
    LOG.info("operator action planned", entry("action", action),
        entry("rollout", rollout.executionName()), entry("phase", rollout.phase().wire()),
        entry("stepIndex", rollout.stepIndex()));
    return plan;
  }

  /** @return what the action will do, for the plan's risks; throws when it cannot act */
  private String requireActionable(String action, ActiveRollout r) {
    String name = r.executionName();
    RolloutPhase phase = r.phase();
    if (phase == RolloutPhase.NEEDS_A_PERSON) {
      throw new IncompatibleEndpointException("rollout " + name + " on endpoint "
          + r.endpointName() + " needs a person (its way back could not be verified): no "
          + "automated action; follow the steps in its notification");
    }
    if (phase == RolloutPhase.RESTORE_FLEET) {
      throw new IncompatibleEndpointException("rollout " + name + " is a rollback to the"
          + " previous release, on its way (" + phase.wire() + "); " + action + " does not"
          + " apply to it");
    }
    if (ExecutionRequest.CONTINUE.equals(action)) {
      return requireHeld(r);
    }
    if (ExecutionRequest.PROMOTE.equals(action)) {
      if (r.stop() != null) {
        throw new IncompatibleEndpointException("rollout " + name + " is already turning"
            + " around (" + r.stop().cause() + "); it is not promoted");
      }
      if (phase != RolloutPhase.CANARY_WEIGHTS) {
        throw new IncompatibleEndpointException("rollout " + name + " is " + phase.wire()
            + ": promote skips the rest of a canary step's bake, so it applies while the canary"
            + " serves traffic (canary-weights)");
      }
      return "rollout " + name + " at step " + r.stepIndex() + " skips the rest of its bake and"
          + " promotes at its next gate; an alarm in ALARM still rolls it back";
    }
    if (phase == RolloutPhase.PROMOTED || phase == RolloutPhase.ROLLED_BACK
        || phase == RolloutPhase.FAILED) {
      throw new IncompatibleEndpointException("rollout " + name + " has already ended ("
          + phase.wire() + ") and is letting go of the endpoint: nothing to abort; to go back"
          + " to the release before the current one, use action rollback");
    }
    if (!phase.forward()) {
      return "rollout " + name + " is already rolling back (" + phase.wire() + ")";
    }
    return "rollout " + name + " (" + phase.wire() + ") rolls back to its baseline now";
  }

  /** Leaves the request on the rollout's stored state and hands it to a parked wait, if any. */
  Delivered deliver(OnPlan in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    String ep = plan.endpointName();
    PlanDocument.Target target = plan.target();
    ActiveRollout rollout = store.rollout(ep).filter(r -> r.ownedBy(target.executionName()))
        .orElseThrow(() -> new IncompatibleEndpointException("rollout "
            + target.executionName() + " ended before the " + plan.action() + " reached it;"
            + " nothing was changed"));
    requireActionable(plan.action(), rollout);
    String by = plan.trigger() == null || plan.trigger().by() == null ? "an operator"
        : plan.trigger().by();
    List<String> delivered = switch (plan.action()) {
      case ExecutionRequest.PROMOTE -> promote(rollout, exec, by, plan.reason(), now);
      case ExecutionRequest.CONTINUE -> continueHeld(rollout, by, plan.reason());
      default -> abort(rollout, exec, by, plan.reason(), now);
    };
    // For a continue, which held step went on: the ledger reads "held at step 0, continued by …".
    Integer held = ExecutionRequest.CONTINUE.equals(plan.action()) ? rollout.stepIndex() : null;
    store.appendHistory(ep, rollout.executionName(), new HistoryEntry.OperatorAction(now,
        plan.action(), by, plan.reason(), exec.name(), held, delivered));
    LOG.info("operator action delivered to the running rollout", entry("action", plan.action()),
        entry("rollout", rollout.executionName()), entry("phase", rollout.phase().wire()),
        entry("delivered", delivered));
    return new Delivered(rollout.executionName(), rollout.phase().wire(), delivered);
  }

  private List<String> promote(ActiveRollout r, ExecutionRef exec, String by, String reason,
      Instant now) {
    String ep = r.endpointName();
    store.requestPromotion(new Promotion(ep, r.executionName(), exec.name(), by, reason, now));
    List<String> delivered = new ArrayList<>();
    Optional<TokenRegistration> hold = owned(ep, TokenKind.HOLD, r);
    if (hold.isPresent()) {
      CallbackResult result = callbacks.succeed(hold.get().token(), new OperatorDecision(
          OperatorDecision.Decision.PROMOTE, by, by + " (console " + exec.name() + "): " + reason));
      store.deregister(ep, TokenKind.HOLD, hold.get().token());
      delivered.add("HOLD:" + result.name());
      return delivered;
    }
    Optional<TokenRegistration> bake = owned(ep, TokenKind.BAKE, r);
    if (bake.isPresent()) {
      // The bake's success goes straight to its gate, which finds the promotion request.
      CallbackResult result = callbacks.succeed(bake.get().token(), new BakeCut(true));
      store.deregister(ep, TokenKind.BAKE, bake.get().token());
      delivered.add("BAKE:" + result.name());
      return delivered;
    }
    delivered.add("NEXT_GATE");
    return delivered;
  }

  /**
   * Completes the parked HOLD with the decision "continue"; the workflow's "Operator decision?"
   * shifts to the next step. {@link #deliver} checked the hold again, not only at plan time: it
   * may have timed out or been decided by another action since.
   */
  private List<String> continueHeld(ActiveRollout r, String by, String reason) {
    String ep = r.endpointName();
    TokenRegistration hold = owned(ep, TokenKind.HOLD, r).orElseThrow();
    CallbackResult result = callbacks.succeed(hold.token(),
        new OperatorDecision(OperatorDecision.Decision.CONTINUE, by, reason));
    store.deregister(ep, TokenKind.HOLD, hold.token());
    return List.of("HOLD:" + result.name());
  }

  /**
   * @return what continue will do, for the plan's risks
   * @throws IncompatibleEndpointException naming what the rollout is doing when no step of it
   *     is parked in a HOLD
   */
  private String requireHeld(ActiveRollout r) {
    String name = r.executionName();
    Optional<TokenRegistration> hold = owned(r.endpointName(), TokenKind.HOLD, r);
    if (hold.isEmpty() || r.stop() != null || r.phase() != RolloutPhase.CANARY_WEIGHTS) {
      boolean baking = r.stop() == null && r.phase() == RolloutPhase.CANARY_WEIGHTS;
      throw new IncompatibleEndpointException("rollout " + name + " is not held for an operator"
          + " (it is " + doing(r) + "): continue applies to a held step"
          + (baking ? "; use promote to skip the remaining bake" : "") + "; nothing was changed");
    }
    int step = hold.get().stepIndex() == null ? r.stepIndex() : hold.get().stepIndex();
    Integer percent = percentAt(r, step);
    return "rollout " + name + " holds at step " + step
        + (percent == null ? "" : " (" + percent + "%)") + " for an operator ("
        + hold.get().reason() + "); continue shifts it to the next canary step (promotes after"
        + " the last), which bakes under alarms as usual";
  }

  /** What a rollout that is not held is doing, in an operator's words. */
  private String doing(ActiveRollout r) {
    if (r.stop() != null) {
      return "turning around: " + r.stop().cause();
    }
    return switch (r.phase()) {
      case LOCKED -> "starting (locked)";
      case CANARY_FLEET -> "updating the endpoint onto the canary fleet (canary-fleet)";
      case CANARY_WEIGHTS -> {
        Integer percent = r.stepIndex() == null ? null : percentAt(r, r.stepIndex());
        String step = "step " + r.stepIndex() + (percent == null ? "" : " at " + percent + "%");
        yield owned(r.endpointName(), TokenKind.BAKE, r).isPresent() ? "baking " + step
            : "at " + step + ", between its shift, bake and gate";
      }
      case FINAL_FLEET -> "promoting onto instance pools (final-fleet)";
      case BASELINE_WEIGHTS, BASELINE_FLEET -> "rolling back (" + r.phase().wire() + ")";
      case PROMOTED, ROLLED_BACK, FAILED -> "finished (" + r.phase().wire() + ")";
      default -> r.phase().wire();
    };
  }

  /** The canary percent of a step, from the rollout's shift history (null before its shift). */
  private static Integer percentAt(ActiveRollout r, int stepIndex) {
    Integer percent = null;
    for (HistoryEntry h : r.history()) {
      if (h instanceof HistoryEntry.Shifted s && s.stepIndex() == stepIndex) {
        percent = s.percent();
      }
    }
    return percent;
  }

  private List<String> abort(ActiveRollout r, ExecutionRef exec, String by, String reason,
      Instant now) {
    if (!r.phase().forward()) {
      return List.of("ALREADY_ROLLING_BACK");
    }
    StopRequest stop = new StopRequest(OperatorAbortException.class.getName(), by
        + " aborted the rollout from the console (" + exec.name() + "): " + reason, now);
    store.requestStop(r.endpointName(), r.executionName(), stop);
    List<String> delivered = new ArrayList<>(TurnAround.failWaits(store, callbacks, r, stop)
        .stream().map(Enum::name).toList());
    if (delivered.isEmpty()) {
      delivered.add("NEXT_STEP");
    }
    return delivered;
  }

  private Optional<TokenRegistration> owned(String ep, TokenKind kind, ActiveRollout r) {
    return store.registration(ep, kind).filter(t -> t.owner().equals(r.executionName()));
  }

  /**
   * Parks this execution until the rollout it acted on lets go of the endpoint; one that already
   * has (or that needs a person and never will) completes the wait at once.
   */
  Done awaitOutcome(Parking in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    TaskToken token = in.taskToken();
    String ep = plan.endpointName();
    String target = plan.target().executionName();
    store.registerWaiter(new Waiter(ep, exec.name(), Waiter.FOR_OUTCOME, target, token, now,
        now.plusSeconds(plan.watchSeconds() + TTL_SLACK_SECONDS)));
    boolean held = store.lockOf(ep).filter(l -> l.owner().equals(target)).isPresent();
    boolean stuck = store.rollout(ep).filter(r -> r.ownedBy(target))
        .map(r -> r.phase() == RolloutPhase.NEEDS_A_PERSON).orElse(false);
    if (!held || stuck) {
      CallbackResult result = callbacks.succeed(token, new EndpointReleased(ep, null));
      store.deregisterWaiter(ep, exec.name());
      LOG.info("the rollout already let go of the endpoint; outcome read at once",
          entry("rollout", target), entry("callback", result.name()));
    } else {
      LOG.info("waiting for the rollout to end", entry("rollout", target));
    }
    return Done.INSTANCE;
  }

  /** The acted-on rollout's outcome, from the ledger (RUNNING when it has not ended yet). */
  ActionReport report(OnPlan in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    String ep = plan.endpointName();
    String target = plan.target().executionName();
    store.deregisterWaiter(ep, exec.name());
    Optional<LedgerRecord> record = ledger.latest(ep, 50).stream()
        .filter(r -> target.equals(r.executionName())).findFirst();
    ActionReport report;
    if (record.isPresent()) {
      Object cause = record.get().details().get("failure") instanceof Map<?, ?> f
          ? f.get("message") : null;
      report = new ActionReport("DELIVERED", plan.action(), ep, target,
          record.get().outcome().name(), record.get().configAfter(),
          cause == null ? null : String.valueOf(cause));
    } else {
      boolean held = store.lockOf(ep).filter(l -> l.owner().equals(target)).isPresent();
      report = new ActionReport("DELIVERED", plan.action(), ep, target,
          held ? "RUNNING" : "UNKNOWN", null, null);
    }
    LOG.info("operator action done", entry("rollout", target),
        entry("rolloutOutcome", report.rolloutOutcome()));
    return report;
  }
}
