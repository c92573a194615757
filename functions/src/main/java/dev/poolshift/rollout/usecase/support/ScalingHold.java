package dev.poolshift.rollout.usecase.support;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.ScalingNotRestoredException;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.LedgerRecord;
import dev.poolshift.rollout.port.Notification;
import dev.poolshift.rollout.port.Notifier;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.ScalingTargets.ScalingPolicySetup;
import dev.poolshift.rollout.port.ScalingTargets.ScalingSetup;
import dev.poolshift.rollout.port.ScalingTargets.ScheduledActionSetup;
import dev.poolshift.rollout.port.ScalingTargets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the baseline variant out of Application Auto Scaling for a rollout and puts it back
 * (see docs/situations.md, "Autoscaled variant during the migration"). SageMaker refuses an UpdateEndpoint that changes the instance type of a
 * registered variant, and moving it onto instance pools is such a change; so before the first
 * update the target, every policy and every scheduled action are kept on the endpoint's lock
 * (first, so a crash after the deregistration cannot lose them), then the policies are deleted
 * and the target deregistered (which deletes its scheduled actions). Whoever releases the lock (the workflow's last steps or the reconciler) puts
 * the kept setup back first, on the variant of the same name, with the same bounds, the
 * policies' and the scheduled actions' exact settings. Both directions are safe to repeat.
 */
public final class ScalingHold {
  private static final Logger LOG = LoggerFactory.getLogger(ScalingHold.class);

  private final ScalingTargets scaling;
  private final RolloutStore store;
  private final Ledger ledger;
  private final Notifier notifier;

  /**
   * @param ledger and {@code notifier}: where a scheduled action that could not be put back
   *     (its one-time time passed during the rollout) is mentioned
   */
  public ScalingHold(ScalingTargets scaling, RolloutStore store, Ledger ledger, Notifier notifier) {
    this.scaling = scaling;
    this.store = store;
    this.ledger = ledger;
    this.notifier = notifier;
  }

  /**
   * Before an UpdateEndpoint of the owner's rollout. A setup already kept (a retry, or the
   * promotion after the canary) is removed again rather than read again: the live read would
   * find nothing and must not replace what was kept.
   *
   * @return the history entry to record (the setup, for the ledger), empty when the variant is
   *     not autoscaled
   */
  public Optional<HistoryEntry> suspend(String endpointName, String owner, String variantName,
      Instant now) {
    EndpointLock lock = ownLock(endpointName, owner);
    ScalingSetup kept = lock.scaling();
    boolean first = kept == null;
    if (first) {
      Optional<ScalingSetup> live = scaling.capture(endpointName, variantName);
      if (live.isEmpty()) {
        return Optional.empty();
      }
      kept = live.get();
      if (!store.keepScaling(endpointName, owner, kept)) {
        throw new EndpointLockedException(endpointName, null, "endpoint " + endpointName
            + " is no longer locked by " + owner + "; its auto scaling was left as it is");
      }
    }
    scaling.remove(kept);
    LOG.info("variant taken out of auto scaling for the rollout; setup kept on the lock",
        entry("resourceId", kept.resourceId()), entry("minCapacity", kept.minCapacity()),
        entry("maxCapacity", kept.maxCapacity()), entry("policies", kept.policyNames()),
        entry("firstTime", first));
    return first ? Optional.of(historyEntry(kept, now)) : Optional.empty();
  }

  /**
   * Puts the setup kept on the owner's lock back; nothing when none was kept. A transient
   * failure is thrown as it is (the step is retried).
   *
   * <p>A one-time scheduled action ({@code at(...)}) whose time passed while the rollout ran is
   * not re-created: it could no longer run, and whether PutScheduledAction refuses a time in the
   * past is not documented (the simulator refuses it, the harsher reading), so sending it could
   * only fail the release over an action with nothing left to do. It is logged, noted on the
   * rollout's ledger record and told to on-call instead.
   *
   * @throws ScalingNotRestoredException when Application Auto Scaling refused, with the setup
   *     spelled out as commands a person can run
   */
  void restore(String endpointName, String owner, Instant now) {
    restore(endpointName, owner, now, null);
  }

  /**
   * As {@link #restore(String, String, Instant)}; after a promotion whose profile opted in to
   * weighted autoscaling, {@code promotedPolicy} goes on in place of the kept target-tracking
   * policies (bounds, other policies and scheduled actions as kept). Null puts everything back
   * exactly as it was, as every rollback does.
   */
  void restore(String endpointName, String owner, Instant now, ScalingPolicySetup promotedPolicy) {
    ScalingSetup kept = store.lockOf(endpointName).filter(l -> l.owner().equals(owner))
        .map(EndpointLock::scaling).orElse(null);
    if (kept == null) {
      return;
    }
    List<ScheduledActionSetup> passed = kept.scheduledActions().stream()
        .filter(a -> passed(a, now)).toList();
    ScalingSetup restored = promotedPolicy == null ? kept
        : kept.withTargetTrackingReplacedBy(promotedPolicy);
    ScalingSetup applied = restored.withScheduledActions(kept.scheduledActions().stream()
        .filter(a -> !passed.contains(a)).toList());
    try {
      scaling.apply(applied);
    } catch (TransientServiceException e) {
      throw e;
    } catch (RolloutException e) {
      LOG.error("auto scaling could not be put back", entry("resourceId", kept.resourceId()),
          entry("errorType", e.getClass().getName()), entry("cause", e.getMessage()));
      throw new ScalingNotRestoredException("the auto scaling of variant " + kept.variantName()
          + " on endpoint " + endpointName + " was taken out for the rollout and could not be"
          + " put back (" + e.getMessage() + "); the endpoint serves but does not scale."
          + " Re-apply it by hand: " + commands(kept), e);
    }
    LOG.info(promotedPolicy == null ? "auto scaling put back as it was before the rollout"
        : "auto scaling put back with the weighted-utilization policy for the promoted fleet",
        entry("resourceId", kept.resourceId()), entry("minCapacity", kept.minCapacity()),
        entry("maxCapacity", kept.maxCapacity()), entry("policies", applied.policyNames()),
        entry("scheduledActions", applied.scheduledActionNames()));
    if (!passed.isEmpty()) {
      notePassed(endpointName, owner, kept, passed, now);
    }
  }

  /** A time zone or time that does not parse is not "passed": the put then says what is wrong. */
  private static boolean passed(ScheduledActionSetup a, Instant now) {
    try {
      return a.passed(now);
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }

  private void notePassed(String endpointName, String owner, ScalingSetup kept,
      List<ScheduledActionSetup> passed, Instant now) {
    List<Map<String, Object>> skipped = new ArrayList<>();
    for (ScheduledActionSetup a : passed) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("scheduledActionName", a.name());
      entry.put("schedule", a.schedule());
      entry.put("settings", JsonText.write(a.settings()));
      skipped.add(entry);
      LOG.warn("one-time scheduled action not re-created: its time passed during the rollout",
          entry("resourceId", kept.resourceId()), entry("scheduledAction", a.name()),
          entry("schedule", a.schedule()), entry("timezone", a.settings().get("Timezone")),
          entry("now", now));
    }
    // The outcome was recorded before the release (record, then unlock): note it on that record.
    ledger.latest(endpointName, 10).stream().filter(r -> owner.equals(r.executionName()))
        .findFirst().ifPresent(r -> {
          Map<String, Object> details = new LinkedHashMap<>(r.details());
          details.put("scheduledActionsNotRestored", skipped);
          ledger.put(new LedgerRecord(r.endpointName(), r.startedAt(), r.executionName(),
              r.executionArn(), r.outcome(), r.modelPackageArn(), r.configBefore(),
              r.configAfter(), r.endedAt(), details));
        });
    StringBuilder body = new StringBuilder("Rollout ").append(owner).append(" put the auto"
        + " scaling of variant ").append(kept.variantName()).append(" on endpoint ")
        .append(endpointName).append(" back, except these one-time scheduled actions, whose"
        + " time passed while it ran (they were deleted with the scalable target and could no"
        + " longer run):\n");
    for (ScheduledActionSetup a : passed) {
      body.append("- ").append(a.name()).append(": ").append(a.schedule())
          .append(a.settings().get("Timezone") == null ? "" : " " + a.settings().get("Timezone"))
          .append(", ").append(JsonText.write(a.settings().getOrDefault("ScalableTargetAction",
              Map.of()))).append('\n');
    }
    body.append("If the capacity they set is still wanted, apply it by hand or schedule it again: ")
        .append(putScheduledActionCommands(kept, passed).substring(2)).append('\n');
    notifier.publish(new Notification(Notifications.subject("Poolshift: " + endpointName
        + " scheduled scaling not restored: " + String.join(", ",
            passed.stream().map(ScheduledActionSetup::name).toList())), body.toString()));
  }

  /**
   * For a page that leaves the endpoint to a person for another reason: the variant's auto
   * scaling is still out, and how to put it back once the endpoint is.
   */
  public static Notification withKeptSetup(Notification page, ScalingSetup kept) {
    if (kept == null) {
      return page;
    }
    return new Notification(page.subject(), page.body() + "\nAuto scaling of variant "
        + kept.variantName() + " was taken out for the rollout and is still out. Once the endpoint"
        + " serves as it should, re-apply it: " + commands(kept) + "\n");
  }

  /** The kept setup as the AWS CLI commands that re-create it, for a page. */
  static String commands(ScalingSetup s) {
    String target = " --service-namespace sagemaker --resource-id " + s.resourceId()
        + " --scalable-dimension sagemaker:variant:DesiredInstanceCount";
    StringBuilder out = new StringBuilder("aws application-autoscaling register-scalable-target"
        + target + " --min-capacity " + s.minCapacity() + " --max-capacity " + s.maxCapacity());
    if (!s.suspendedState().isEmpty()) {
      out.append(" --suspended-state '").append(JsonText.write(s.suspendedState())).append('\'');
    }
    for (ScalingPolicySetup p : s.policies()) {
      out.append("; aws application-autoscaling put-scaling-policy").append(target)
          .append(" --policy-name '").append(p.policyName()).append("' --policy-type ")
          .append(p.policyType()).append(" --cli-input-json '")
          .append(JsonText.write(p.settings())).append('\'');
    }
    out.append(putScheduledActionCommands(s, s.scheduledActions()));
    return out.toString();
  }

  /** {@code ; aws application-autoscaling put-scheduled-action ...} for each action. */
  private static String putScheduledActionCommands(ScalingSetup s,
      List<ScheduledActionSetup> actions) {
    String target = " --service-namespace sagemaker --resource-id " + s.resourceId()
        + " --scalable-dimension sagemaker:variant:DesiredInstanceCount";
    StringBuilder out = new StringBuilder();
    for (ScheduledActionSetup a : actions) {
      out.append("; aws application-autoscaling put-scheduled-action").append(target)
          .append(" --scheduled-action-name '").append(a.name()).append("' --cli-input-json '")
          .append(JsonText.write(a.settings())).append('\'');
    }
    return out.toString();
  }

  private EndpointLock ownLock(String endpointName, String owner) {
    return store.lockOf(endpointName).filter(l -> l.owner().equals(owner))
        .orElseThrow(() -> new EndpointLockedException(endpointName, null, "endpoint "
            + endpointName + " is not locked by " + owner + "; its auto scaling was left as it is"));
  }

  private static HistoryEntry historyEntry(ScalingSetup s, Instant now) {
    return new HistoryEntry.AutoscalingSuspended(now, s.resourceId(), s.minCapacity(),
        s.maxCapacity(), s.suspendedState().isEmpty() ? null : s.suspendedState(),
        s.policies().stream().map(p -> new HistoryEntry.KeptPolicy(p.policyName(),
            p.policyType(), JsonText.write(p.settings()))).toList(),
        s.scheduledActions().stream().map(a -> new HistoryEntry.KeptAction(a.name(),
            JsonText.write(a.settings()))).toList());
  }
}
