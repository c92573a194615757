package dev.poolshift.rollout.usecase;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.ScalingNotRestoredException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.event.EndpointStateChange;
import dev.poolshift.rollout.event.EventEnvelope;
import dev.poolshift.rollout.event.ExecutionStatusChange;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.Alarms;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.ExecutionStatus;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.Notifier;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TrafficShifter;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.usecase.support.CleanupPending;
import dev.poolshift.rollout.usecase.support.LedgerEntries;
import dev.poolshift.rollout.usecase.support.Notifications;
import dev.poolshift.rollout.usecase.support.Release;
import dev.poolshift.rollout.usecase.support.ScalingHold;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Puts endpoints back that a rollout left behind: a stopped or timed-out execution runs no
 * Catch, and a Lambda may die between two writes. For every lock whose execution no longer
 * runs, one action per pass, in the workflow's own order (traffic first, then the fleet), and
 * the lock is released only once DescribeEndpoint shows the baseline serving all traffic. Runs
 * on "Execution Status Change" (that execution's locks), on "Endpoint State Change" to a settled
 * status (that endpoint's locks: the next action as soon as the endpoint can take it) and on a
 * 5-minute sweep (all locks), so a lost event costs at most one sweep.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final Set<String> STILL_RUNNING = Set.of("RUNNING", "PENDING_REDRIVE");
  private static final Set<RolloutPhase> WORKFLOW_FINISHED =
      Set.of(RolloutPhase.PROMOTED, RolloutPhase.ROLLED_BACK, RolloutPhase.FAILED);

  /** @param stateTable {@code STATE_TABLE}, for the commands in notifications */
  public record Settings(String stateTable) {
  }

  /** What happened to one endpoint. */
  public record Outcome(String endpointName, String executionName, String action,
      String reason) {
  }

  /** The function's output. */
  public record Result(String trigger, List<Outcome> endpoints) {
  }

  public static final String SKIPPED = "SKIPPED";
  public static final String RELEASED = "RELEASED";
  public static final String RESTORED = "RESTORED";
  public static final String RESTORING_TRAFFIC = "RESTORING_TRAFFIC";
  public static final String RESTORING_CONFIG = "RESTORING_CONFIG";
  public static final String WAITING = "WAITING";
  public static final String NEEDS_A_PERSON = "NEEDS_A_PERSON";
  public static final String ERROR = "ERROR";

  private final Settings settings;
  private final RolloutStore store;
  private final ExecutionStatus executions;
  private final Endpoints endpoints;
  private final TrafficShifter traffic;
  private final Ledger ledger;
  private final Notifier notifier;
  private final Release release;

  public Reconciler(Settings settings, RolloutStore store, ExecutionStatus executions,
      Endpoints endpoints, TrafficShifter traffic, Ledger ledger, Notifier notifier,
      Alarms alarms, ModelRegistry registry, TaskCallbacks callbacks, ScalingTargets scaling) {
    this.settings = settings;
    this.store = store;
    this.executions = executions;
    this.endpoints = endpoints;
    this.traffic = traffic;
    this.ledger = ledger;
    this.notifier = notifier;
    this.release = new Release(store, alarms, endpoints, registry, callbacks,
        new ScalingHold(scaling, store, ledger, notifier));
  }

  /** Without Application Auto Scaling: no rollout kept a variant's auto scaling to put back. */
  public Reconciler(Settings settings, RolloutStore store, ExecutionStatus executions,
      Endpoints endpoints, TrafficShifter traffic, Ledger ledger, Notifier notifier,
      Alarms alarms, ModelRegistry registry, TaskCallbacks callbacks) {
    this(settings, store, executions, endpoints, traffic, ledger, notifier, alarms, registry,
        callbacks, ScalingTargets.NONE);
  }

  /** An execution status change (that execution's locks), or a scheduled sweep (all locks). */
  public Result handle(EventEnvelope event) {
    MDC.put("eventId", event.id());
    List<EndpointLock> locks;
    String trigger = "sweep";
    if (ExecutionStatusChange.DETAIL_TYPE.equals(event.detailType())) {
      ExecutionStatusChange change = ExecutionStatusChange.parse(event);
      trigger = "execution " + change.name() + " " + change.status();
      locks = store.locks().stream().filter(l -> l.owner().equals(change.name())).toList();
    } else if (EndpointStateChange.DETAIL_TYPE.equals(event.detailType())) {
      // An endpoint a stopped rollout left Updating has settled: take the next step now rather
      // than at the next sweep, which alone could not bound T_reconcile by 5 minutes. Every
      // rollout's endpoint settles several times: read that endpoint's lock, not the whole
      // table (a Scan per settle made a fleet of N rollouts read N² items).
      EndpointStateChange change = EndpointStateChange.parse(event);
      trigger = "endpoint " + change.endpointName() + " " + change.status();
      locks = store.lockOf(change.endpointName()).stream().toList();
    } else {
      locks = store.locks();
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (EndpointLock lock : locks) {
      MDC.put("endpointName", lock.endpointName());
      MDC.put("executionName", lock.owner());
      MDC.put("modelPackageArn", lock.modelPackageArn());
      Outcome o;
      try {
        o = reconcile(lock, event.time());
      } catch (RolloutException e) {
        // One endpoint's trouble must not stop the others; the next sweep tries again.
        o = new Outcome(lock.endpointName(), lock.owner(), ERROR,
            e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      LOG.info("endpoint lock reconciled", entry("action", o.action()), entry("reason", o.reason()),
          entry("trigger", trigger));
      outcomes.add(o);
    }
    MDC.remove("endpointName");
    MDC.remove("executionName");
    MDC.remove("modelPackageArn");
    LOG.info("reconciliation pass done", entry("trigger", trigger), entry("locks", outcomes.size()));
    return new Result(trigger, outcomes);
  }

  private Outcome reconcile(EndpointLock lock, Instant now) {
    String ep = lock.endpointName();
    String status = executions.of(lock.executionArn()).orElse("UNKNOWN");
    if (STILL_RUNNING.contains(status)) {
      return outcome(lock, SKIPPED, "execution is " + status);
    }
    ActiveRollout rollout = store.rollout(ep).filter(r -> r.ownedBy(lock.owner())).orElse(null);
    if (rollout == null) {
      store.takeSettled(ep);
      store.unlock(ep, lock.owner());
      release.wakeWaiters(ep, lock.owner());
      return outcome(lock, RELEASED, "execution " + status + " left a lock without a rollout"
          + " record; released");
    }
    if (rollout.phase() == RolloutPhase.NEEDS_A_PERSON) {
      return outcome(lock, SKIPPED, "needs a person; the lock stays until someone releases it");
    }
    EndpointState s;
    try {
      s = endpoints.describe(ep);
    } catch (EndpointNotFoundException e) {
      release.releaseGone(target(rollout));
      return outcome(lock, RELEASED, "endpoint no longer exists; released");
    }
    boolean finished = "SUCCEEDED".equals(status)
        || WORKFLOW_FINISHED.contains(rollout.phase());
    if (rollout.rollsComponents() && !finished) {
      // Its components may be mid-update or on the new version, and what they ran before is in
      // the execution's plan, not on the lock: a person puts them back.
      store.setPhase(ep, rollout.executionName(), RolloutPhase.NEEDS_A_PERSON, null);
      store.takeSettled(ep);
      ledger.put(LedgerEntries.fromRollout(rollout, dev.poolshift.rollout.Outcome.NEEDS_A_PERSON,
          "execution " + status + " ended off its workflow while rolling inference components"
              + " out; they are not put back automatically", s.endpointConfigName(), now));
      notifier.publish(ScalingHold.withKeptSetup(Notifications.reconcileNeedsAPerson(rollout,
          status, s, settings.stateTable()), lock.scaling()));
      return outcome(lock, NEEDS_A_PERSON, "inference-component rollout ended off its workflow");
    }
    if (finished) {
      Outcome notRestored = releaseOrEscalate(lock, rollout, status, s, now);
      if (notRestored != null) {
        return notRestored;
      }
      return outcome(lock, RELEASED, "execution " + status + " finished its rollout ("
          + rollout.phase().wire() + ") but not its release; released");
    }
    if (EndpointState.NEEDS_A_PERSON.contains(s.status())) {
      store.setPhase(ep, rollout.executionName(), RolloutPhase.NEEDS_A_PERSON, null);
      store.takeSettled(ep);
      ledger.put(LedgerEntries.fromRollout(rollout, dev.poolshift.rollout.Outcome.NEEDS_A_PERSON,
          "execution " + status + "; endpoint " + s.status() + ": " + s.failureReason(),
          s.endpointConfigName(), now));
      notifier.publish(ScalingHold.withKeptSetup(Notifications.reconcileNeedsAPerson(rollout,
          status, s, settings.stateTable()), lock.scaling()));
      return outcome(lock, NEEDS_A_PERSON, "endpoint is " + s.status());
    }
    if (s.inProgress()) {
      return outcome(lock, WAITING, "endpoint is " + s.status() + "; looked at again next pass");
    }
    boolean cleanup = rollout.phase() == RolloutPhase.CLEANUP_PENDING;
    if (cleanup && onBaseline(s, rollout)) {
      Outcome notRestored = releaseOrEscalate(lock, rollout, status, s, now);
      if (notRestored != null) {
        return notRestored;
      }
      int attempts = CleanupPending.attempts(rollout.history());
      ledger.put(cleanupFinished(rollout, s, attempts, now));
      notifier.publish(Notifications.cleanupFinished(rollout, s, attempts));
      return outcome(lock, RESTORED, "cleanup finished: endpoint serves its baseline "
          + rollout.baselineConfigName() + " after " + attempts + " attempt(s); released");
    }
    if (onBaseline(s, rollout)) {
      ledger.put(LedgerEntries.fromRollout(rollout, dev.poolshift.rollout.Outcome.ROLLED_BACK,
          "execution " + status + " ended off its workflow; the reconciler verified the"
              + " baseline and released the endpoint", s.endpointConfigName(), now));
      Outcome notRestored = releaseOrEscalate(lock, rollout, status, s, now);
      if (notRestored != null) {
        return notRestored;
      }
      notifier.publish(Notifications.reconciled(rollout, status, s));
      return outcome(lock, RESTORED, "endpoint serves its baseline " + rollout.baselineConfigName()
          + "; released");
    }
    // A rollback to the previous release has no canary: its "baseline" is the release it
    // returns to, so finishing it is the same UpdateEndpoint below.
    if (rollout.canaryConfigName() != null
        && rollout.canaryConfigName().equals(s.endpointConfigName())
        && !s.serves(rollout.baselineWeights())) {
      store.setPhase(ep, rollout.executionName(), RolloutPhase.BASELINE_WEIGHTS, null);
      traffic.setWeights(s, rollout.baselineWeights());
      return outcome(lock, RESTORING_TRAFFIC, "execution " + status + "; canary weights reset,"
          + " all traffic to " + rollout.baselineVariantName());
    }
    if (cleanup) {
      // Traffic is safe; the fleet waits for capacity. Each attempt is a blue/green update that
      // fails after SageMaker gives up provisioning, and its InService event brings us back
      // here: back off rather than retry at once.
      java.time.Instant next = CleanupPending.nextAttempt(rollout.history());
      if (next != null && now.isBefore(next)) {
        return outcome(lock, WAITING, "cleanup pending (traffic on the baseline variant); next"
            + " attempt to return to " + rollout.baselineConfigName() + " at " + next
            + " (last: " + (s.failureReason() == null ? "no FailureReason" : s.failureReason())
            + ")");
      }
      int attempt = CleanupPending.attempts(rollout.history()) + 1;
      store.appendHistory(ep, rollout.executionName(), new HistoryEntry.CleanupPending(now,
          "reconciler", attempt, s.failureReason()));
      endpoints.update(new EndpointUpdate(ep, rollout.baselineConfigName(), true, List.of(),
          List.of()));
      return outcome(lock, RESTORING_CONFIG, "cleanup pending; attempt " + attempt
          + ": update back to " + rollout.baselineConfigName());
    }
    store.setPhase(ep, rollout.executionName(), RolloutPhase.BASELINE_FLEET, null);
    endpoints.update(new EndpointUpdate(ep, rollout.baselineConfigName(), true, List.of(),
        List.of()));
    return outcome(lock, RESTORING_CONFIG, "execution " + status + "; endpoint on "
        + s.endpointConfigName() + ", update back to " + rollout.baselineConfigName());
  }

  /**
   * Releases the lock, auto scaling put back first. When it cannot be put back the endpoint is
   * left to a person like one that failed: the lock (with the setup on it) stays, and the page
   * carries the commands that re-apply it.
   *
   * @return null when released, else the NEEDS_A_PERSON outcome
   */
  private Outcome releaseOrEscalate(EndpointLock lock, ActiveRollout rollout, String status,
      EndpointState s, Instant now) {
    try {
      release.release(target(rollout), now);
      return null;
    } catch (ScalingNotRestoredException e) {
      store.setPhase(lock.endpointName(), rollout.executionName(), RolloutPhase.NEEDS_A_PERSON,
          null);
      ledger.put(LedgerEntries.fromRollout(rollout, dev.poolshift.rollout.Outcome.NEEDS_A_PERSON,
          "execution " + status + "; " + e.getMessage(), s.endpointConfigName(), now));
      notifier.publish(Notifications.scalingNotRestored(rollout, status, s, e.getMessage(),
          settings.stateTable()));
      return outcome(lock, NEEDS_A_PERSON, e.getMessage());
    }
  }

  private static boolean onBaseline(EndpointState s, ActiveRollout r) {
    if (!s.inService() || !r.baselineConfigName().equals(s.endpointConfigName())
        || s.pendingConfigName() != null
        || (r.canaryVariantName() != null && s.variant(r.canaryVariantName()) != null)) {
      return false;
    }
    VariantState v = s.variant(r.baselineVariantName());
    return v != null && v.currentWeight() != null
        && Math.abs(v.currentWeight() - r.baselineWeight()) <= EndpointState.WEIGHT_TOLERANCE;
  }

  /**
   * The rollout's ledger record, completed: the workflow wrote it when traffic was back (with
   * the failure and the evidence); now its fleet is back too.
   */
  private dev.poolshift.rollout.port.LedgerRecord cleanupFinished(ActiveRollout r,
      EndpointState s, int attempts, Instant now) {
    java.util.Map<String, Object> cleanup = new java.util.LinkedHashMap<>();
    cleanup.put("finishedAt", now.toString());
    cleanup.put("attempts", attempts);
    cleanup.put("endpointConfigName", s.endpointConfigName());
    return ledger.latest(r.endpointName(), 20).stream()
        .filter(l -> l.executionName().equals(r.executionName())).findFirst()
        .map(l -> {
          java.util.Map<String, Object> details = new java.util.LinkedHashMap<>(l.details());
          details.put("history", r.history());
          details.put("cleanup", cleanup);
          return new dev.poolshift.rollout.port.LedgerRecord(l.endpointName(), l.startedAt(),
              l.executionName(), l.executionArn(), l.outcome(), l.modelPackageArn(),
              l.configBefore(), s.endpointConfigName(), now, details);
        })
        .orElseGet(() -> LedgerEntries.fromRollout(r, dev.poolshift.rollout.Outcome.ROLLED_BACK,
            "cleanup finished after " + attempts + " attempt(s)", s.endpointConfigName(), now));
  }

  private static Release.Target target(ActiveRollout r) {
    // Components, not the config, run an inference-component rollout's models: none is
    // deleted here, since which of them the components run is not recorded on the lock.
    return new Release.Target(r.endpointName(), r.executionName(), r.baselineConfigName(),
        r.canaryConfigName(), r.finalConfigName(), r.models(), r.alarmNames(),
        r.managedAlarmNames(), r.rollsComponents() ? java.util.Set.copyOf(r.models()) : null);
  }

  private static Outcome outcome(EndpointLock lock, String action, String reason) {
    return new Outcome(lock.endpointName(), lock.owner(), action, reason);
  }
}
