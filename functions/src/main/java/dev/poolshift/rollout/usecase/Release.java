package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.EndpointState;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.port.Alarms;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a rollout's hold on an endpoint: its parked tokens, alarm mappings, canary alarms, the
 * active-rollout record, the SageMaker resources it created that nothing references any more,
 * and last the lock (so a failure part-way leaves the lock, and the reconciler finishes the job).
 * Every part is idempotent and limited to what the owner created.
 */
final class Release {
  private static final Logger LOG = LoggerFactory.getLogger(Release.class);

  /** What a rollout holds and created; from the plan, or from the active-rollout record. */
  record Target(String endpointName, String owner, String baselineConfigName,
      String canaryConfigName, String finalConfigName, List<String> models,
      List<String> alarmNames, List<String> managedAlarmNames) {
  }

  private final RolloutStore store;
  private final Alarms alarms;
  private final Endpoints endpoints;
  private final ModelRegistry registry;

  Release(RolloutStore store, Alarms alarms, Endpoints endpoints, ModelRegistry registry) {
    this.store = store;
    this.alarms = alarms;
    this.endpoints = endpoints;
    this.registry = registry;
  }

  /** @return the resources deleted, for the log and the caller's result */
  List<String> release(Target t) {
    for (TokenKind kind : TokenKind.values()) {
      store.deregisterOwned(t.endpointName(), kind, t.owner());
    }
    store.deleteAlarmMappings(t.alarmNames(), t.owner());
    if (!t.managedAlarmNames().isEmpty()) {
      alarms.delete(t.managedAlarmNames());
    }
    List<String> deleted = cleanUp(t);
    store.deleteRollout(t.endpointName(), t.owner());
    boolean released = store.unlock(t.endpointName(), t.owner());
    LOG.atInfo().addKeyValue("lockReleased", released)
        .addKeyValue("alarmsDeleted", t.managedAlarmNames())
        .addKeyValue("resourcesDeleted", deleted)
        .log("rollout released the endpoint");
    return deleted;
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
      LOG.atInfo().addKeyValue("endpointStatus", now.status())
          .log("endpoint is mid-update; rollout configs and models kept");
      return deleted;
    }
    List<String> referenced = new ArrayList<>();
    referenced.add(now.endpointConfigName());
    referenced.add(now.pendingConfigName());
    try {
      for (String config : List.of(t.canaryConfigName(), t.finalConfigName())) {
        if (!referenced.contains(config) && endpoints.deleteConfig(config)) {
          deleted.add(config);
        }
      }
      // The models run in the final config once promoted; only a rollout that left the endpoint
      // on its baseline leaves them unused.
      if (Objects.equals(now.endpointConfigName(), t.baselineConfigName())) {
        for (String model : t.models()) {
          if (registry.deleteModel(model)) {
            deleted.add(model);
          }
        }
      }
    } catch (RolloutException e) {
      LOG.atWarn().addKeyValue("error", e.getClass().getName())
          .addKeyValue("cause", e.getMessage()).addKeyValue("deletedSoFar", deleted)
          .log("cleanup of rollout resources incomplete; leftovers are tagged poolshift:deployment");
    }
    return deleted;
  }
}
