package dev.poolshift.rollout.usecase;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.event.AlarmStateChange;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.AlarmMapping;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TrafficShifter;
import dev.poolshift.rollout.usecase.support.TurnAround;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A canary alarm going to ALARM: traffic goes back to the baseline at once, with one
 * UpdateEndpointWeightsAndCapacities (no polling interval, no workflow step in between), then
 * the workflow's canary-phase wait is failed with {@link CanaryAlarmException} so it runs its
 * rollback (which finds the weights already set). A rollout already on its way back, or over,
 * is left alone.
 */
public final class AlarmResponder {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmResponder.class);

  /** What the responder did; also the function's output. */
  public record Result(String outcome, String reason, boolean weightsRestored,
      List<String> waitsFailed) {
  }

  public static final String IGNORED = "IGNORED";
  public static final String ROLLBACK_STARTED = "ROLLBACK_STARTED";

  private final RolloutStore store;
  private final Endpoints endpoints;
  private final TrafficShifter traffic;
  private final TaskCallbacks callbacks;

  public AlarmResponder(RolloutStore store, Endpoints endpoints, TrafficShifter traffic,
      TaskCallbacks callbacks) {
    this.store = store;
    this.endpoints = endpoints;
    this.traffic = traffic;
    this.callbacks = callbacks;
  }

  public Result handle(AlarmStateChange event) {
    MDC.put("alarmName", event.alarmName());
    MDC.put("eventId", event.envelope().id());
    if (!"ALARM".equals(event.state())) {
      return ignored("alarm went to " + event.state() + ", not ALARM");
    }
    Optional<AlarmMapping> mapping = store.alarmMapping(event.alarmName());
    if (mapping.isEmpty()) {
      return ignored("alarm guards no active rollout");
    }
    String ep = mapping.get().endpointName();
    MDC.put("endpointName", ep);
    MDC.put("executionName", mapping.get().owner());
    Optional<ActiveRollout> found = store.rollout(ep)
        .filter(r -> r.ownedBy(mapping.get().owner()));
    if (found.isEmpty()) {
      return ignored("the rollout this alarm guarded has ended");
    }
    ActiveRollout rollout = found.get();
    MDC.put("modelPackageArn", rollout.modelPackageArn());
    if (rollout.phase() == null || !rollout.phase().forward()) {
      return ignored("rollout is " + (rollout.phase() == null ? "in no phase"
          : rollout.phase().wire()) + "; its way back is not interrupted");
    }
    String cause = "alarm " + event.alarmName() + " is in ALARM: "
        + (event.reason() == null ? "(no reason given)" : event.reason());
    // A stop request first: if no wait is parked now, the next step turns around.
    StopRequest stop = new StopRequest(CanaryAlarmException.class.getName(), cause,
        event.envelope().time());
    store.requestStop(ep, rollout.executionName(), stop);
    boolean restored = restoreWeights(rollout);
    List<TokenKind> failed = TurnAround.failWaits(store, callbacks, rollout, stop);
    store.appendHistory(ep, rollout.executionName(), new HistoryEntry.AlarmFired(
        event.envelope().time(), event.alarmName(), event.reason(), restored,
        event.firstEvaluatedAt()));
    List<String> waits = failed.stream().map(Enum::name).toList();
    LOG.info("canary alarm: traffic back on the baseline, rollout rolling back",
        entry("phase", rollout.phase().wire()), entry("weightsRestored", restored),
        entry("waitsFailed", waits), entry("alarmReason", event.reason()));
    return new Result(ROLLBACK_STARTED, cause, restored, waits);
  }

  /**
   * One weight call when the canary config is active. A busy endpoint (a weight change in
   * flight) cannot take it now; the workflow's rollback step retries it.
   */
  private boolean restoreWeights(ActiveRollout rollout) {
    try {
      if (rollout.canaryConfigName() == null) {
        // An inference-component rollout has no canary variant: SageMaker's auto-rollback
        // answers the alarm during the update, and the workflow puts the components back.
        LOG.info("no canary config (inference components); no weights to restore");
        return false;
      }
      EndpointState s = endpoints.describe(rollout.endpointName());
      if (!rollout.canaryConfigName().equals(s.endpointConfigName())) {
        LOG.info("canary config not active; no weights to restore",
            entry("endpointConfigName", s.endpointConfigName()));
        return false;
      }
      traffic.setWeights(s, rollout.baselineWeights());
      return true;
    } catch (EndpointBusyException e) {
      LOG.warn("endpoint busy; the workflow's rollback restores the weights when it can",
          entry("cause", e.getMessage()));
      return false;
    } catch (RolloutException e) {
      // Failing the wait below matters more than this call: the rollback retries the weights.
      LOG.error("weights not restored; the workflow's rollback retries them",
          entry("errorType", e.getClass().getName()), entry("cause", e.getMessage()));
      return false;
    }
  }

  private static Result ignored(String reason) {
    LOG.info("alarm event ignored", entry("outcome", IGNORED), entry("reason", reason));
    return new Result(IGNORED, reason, false, List.of());
  }
}
