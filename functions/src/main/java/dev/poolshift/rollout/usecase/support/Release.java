package dev.poolshift.rollout.usecase.support;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.ScalingNotRestoredException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.port.Alarms;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a rollout's hold on an endpoint: its parked tokens, alarm mappings, canary alarms, a
 * pending promotion request, the active-rollout record, the SageMaker resources it created that
 * nothing references any more, then the lock (so a failure part-way leaves the lock, and the
 * reconciler finishes the job), and last it wakes every execution parked on the endpoint (a
 * queued rollout, an operator action watching this one). Every part is idempotent and limited
 * to what the owner created.
 *
 * <p>No wake-up is lost: the lock is deleted before the waiters are read, and a waiter registers
 * itself before it reads the lock (both strongly consistent), so one of the two always sees the
 * other.
 */
public final class Release {
  private static final Logger LOG = LoggerFactory.getLogger(Release.class);

  /** What a rollout holds and created; from the plan, or from the active-rollout record. */
  /**
   * @param finalConfigModels the models the final config references, when the caller knows its
   *     spec (the workflow created it from the plan; configs never change): cleanup then need
   *     not read it back. Null: read it.
   */
  public record Target(String endpointName, String owner, String baselineConfigName,
      String canaryConfigName, String finalConfigName, List<String> models,
      List<String> alarmNames, List<String> managedAlarmNames, Set<String> finalConfigModels) {

    public Target(String endpointName, String owner, String baselineConfigName,
        String canaryConfigName, String finalConfigName, List<String> models,
        List<String> alarmNames, List<String> managedAlarmNames) {
      this(endpointName, owner, baselineConfigName, canaryConfigName, finalConfigName, models,
          alarmNames, managedAlarmNames, null);
    }
  }

  private final RolloutStore store;
  private final Alarms alarms;
  private final Endpoints endpoints;
  private final ModelRegistry registry;
  private final TaskCallbacks callbacks;
  private final ScalingHold scaling;

  public Release(RolloutStore store, Alarms alarms, Endpoints endpoints, ModelRegistry registry,
      TaskCallbacks callbacks, ScalingHold scaling) {
    this.store = store;
    this.alarms = alarms;
    this.endpoints = endpoints;
    this.registry = registry;
    this.callbacks = callbacks;
    this.scaling = scaling;
  }

  /**
   * Puts the variant's auto scaling back first (kept on the lock), then lets go. Called once the
   * endpoint has settled on its final config.
   *
   * @param now the step's time: a one-time scheduled action due by then is not re-created
   * @return the resources deleted, for the log and the caller's result
   * @throws dev.poolshift.rollout.ScalingNotRestoredException when auto scaling could not be put
   *     back: nothing is released, so the lock (and the setup on it) stays for a person
   */
  public List<String> release(Target t, java.time.Instant now) {
    return release(t, now, null);
  }

  /**
   * As {@link #release(Target, java.time.Instant)} after a promotion that puts
   * {@code promotedPolicy} (weighted autoscaling) on the variant in place of its kept
   * target-tracking policies; null puts the kept setup back exactly.
   */
  public List<String> release(Target t, java.time.Instant now,
      dev.poolshift.rollout.port.ScalingTargets.ScalingPolicySetup promotedPolicy) {
    scaling.restore(t.endpointName(), t.owner(), now, promotedPolicy);
    return releaseHeld(t);
  }

  /**
   * Hands the endpoint to the reconciler when a rollback's traffic is back but its fleet is not
   * (see {@link CleanupPending}): the workflow's parked tokens, alarm mappings, canary alarms and
   * promotion request go; the lock (with any auto scaling setup kept on it), the active-rollout
   * record and the configs and models the endpoint still runs stay. Waiters are woken: an
   * operator action watching the rollout hears that it ended; a queued rollout plans again and
   * finds the lock.
   */
  public void handOver(Target t) {
    for (TokenKind kind : TokenKind.values()) {
      store.deregisterOwned(t.endpointName(), kind, t.owner());
    }
    store.deleteAlarmMappings(t.alarmNames(), t.owner());
    if (!t.managedAlarmNames().isEmpty()) {
      alarms.delete(t.managedAlarmNames());
    }
    store.deletePromotion(t.endpointName(), t.owner());
    LOG.info("rollout handed the endpoint to the reconciler; lock kept until its fleet is back",
        entry("alarmsDeleted", t.managedAlarmNames()));
    wakeWaiters(t.endpointName(), t.owner());
  }

  /**
   * Lets go without putting auto scaling back: the endpoint is gone, and SageMaker deregistered
   * its variants' targets with it.
   */
  public List<String> releaseGone(Target t) {
    store.lockOf(t.endpointName()).filter(l -> l.owner().equals(t.owner()) && l.scaling() != null)
        .ifPresent(l -> LOG.warn("endpoint is gone; its kept auto scaling setup is dropped",
            entry("scaling", ScalingHold.commands(l.scaling()))));
    return releaseHeld(t);
  }

  private List<String> releaseHeld(Target t) {
    for (TokenKind kind : TokenKind.values()) {
      store.deregisterOwned(t.endpointName(), kind, t.owner());
    }
    store.deleteAlarmMappings(t.alarmNames(), t.owner());
    if (!t.managedAlarmNames().isEmpty()) {
      alarms.delete(t.managedAlarmNames());
    }
    store.deletePromotion(t.endpointName(), t.owner());
    List<String> deleted = cleanUp(t);
    store.deleteRollout(t.endpointName(), t.owner());
    // A settle note no wait took (a copy of an event that already ended one) is about this
    // rollout only.
    store.takeSettled(t.endpointName());
    boolean released = store.unlock(t.endpointName(), t.owner());
    LOG.info("rollout released the endpoint", entry("lockReleased", released),
        entry("alarmsDeleted", t.managedAlarmNames()), entry("resourcesDeleted", deleted));
    wakeWaiters(t.endpointName(), t.owner());
    return deleted;
  }

  /**
   * Completes the token of every execution parked on the endpoint; each looks again for itself
   * (a queued rollout plans again and tries the lock, an operator action reads the ledger). A
   * waiter whose wait already ended (timed out, stopped) answers benignly and is removed too.
   *
   * @param releasedBy the execution that let go, for the waiters' output and the log
   */
  public void wakeWaiters(String endpointName, String releasedBy) {
    for (Waiter w : store.waiters(endpointName)) {
      Map<String, Object> output = new LinkedHashMap<>();
      output.put("endpointName", endpointName);
      output.put("releasedBy", releasedBy);
      CallbackResult result = callbacks.succeed(w.token(), output);
      store.deregisterWaiter(endpointName, w.owner());
      LOG.info("woke an execution waiting on the endpoint", entry("waiter", w.owner()),
          entry("purpose", w.purpose()), entry("callback", result.name()));
    }
  }

  /**
   * Deletes the rollout's endpoint configs and models that the endpoint does not reference. Only
   * when the endpoint is idle: an in-flight update may be deploying one of them, and deleting it
   * would fail that update. A failure here is logged and left for a person: leftovers are named
   * and tagged, harmless, and must not keep the endpoint locked.
   */
  private List<String> cleanUp(Target t) {
    List<String> deleted = new ArrayList<>();
    EndpointState now;
    try {
      now = endpoints.describe(t.endpointName());
    } catch (EndpointNotFoundException e) {
      return deleted;
    }
    if (now.inProgress()) {
      LOG.info("endpoint is mid-update; rollout configs and models kept",
          entry("endpointStatus", now.status()));
      return deleted;
    }
    List<String> referenced = new ArrayList<>();
    referenced.add(now.endpointConfigName());
    referenced.add(now.pendingConfigName());
    // On its final config the rollout went through every step: its canary config and every
    // model it created exist (unless an earlier attempt of this cleanup removed them), so they
    // are deleted without reading each first. Otherwise some may never have been created.
    boolean promoted = t.finalConfigName() != null
        && t.finalConfigName().equals(now.endpointConfigName());
    try {
      for (String config : Arrays.asList(t.canaryConfigName(), t.finalConfigName())) {
        // A rollback to the previous release created no config of its own.
        if (config != null && !referenced.contains(config) && (promoted
            ? endpoints.deleteExistingConfig(config) : endpoints.deleteConfig(config))) {
          deleted.add(config);
        }
      }
      // The new version's models run in the final config once promoted; the baseline copy's
      // per-hardware builds never outlive the canary config. Whatever the config the endpoint
      // runs now does not reference is unused.
      Set<String> inUse = t.finalConfigModels() != null
          && now.endpointConfigName().equals(t.finalConfigName())
          ? t.finalConfigModels() : endpoints.modelNamesOf(now.endpointConfigName());
      for (String model : t.models()) {
        if (!inUse.contains(model) && (promoted
            ? registry.deleteExistingModel(model) : registry.deleteModel(model))) {
          deleted.add(model);
        }
      }
    } catch (RolloutException e) {
      LOG.warn("cleanup of rollout resources incomplete; leftovers are tagged poolshift:deployment",
          entry("errorType", e.getClass().getName()), entry("cause", e.getMessage()),
          entry("deletedSoFar", deleted));
    }
    return deleted;
  }
}
