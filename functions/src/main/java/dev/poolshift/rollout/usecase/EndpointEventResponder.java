package dev.poolshift.rollout.usecase;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.event.EndpointStateChange;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import dev.poolshift.rollout.port.TrafficShifter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Endpoint state changes in; the waiting rollout step out. The event only says "look now":
 * events come doubled and out of order, so the decision is DescribeEndpoint's. No parked wait
 * for the endpoint means the event is foreign, late or a duplicate, and is ignored.
 */
public final class EndpointEventResponder {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointEventResponder.class);

  /** What the responder did; also the function's output. */
  public record Result(String outcome, String reason) {
  }

  public static final String IGNORED = "IGNORED";
  public static final String STILL_IN_PROGRESS = "STILL_IN_PROGRESS";
  public static final String COMPLETED = "COMPLETED";
  public static final String ALREADY_CLOSED = "ALREADY_CLOSED";
  public static final String DUPLICATE_EVENT = "DUPLICATE_EVENT";

  public static final String WEIGHTS_RESTORED = "WEIGHTS_RESTORED";

  private final RolloutStore store;
  private final Endpoints endpoints;
  private final TrafficShifter traffic;
  private final TaskCallbacks callbacks;

  public EndpointEventResponder(RolloutStore store, Endpoints endpoints, TrafficShifter traffic,
      TaskCallbacks callbacks) {
    this.store = store;
    this.endpoints = endpoints;
    this.traffic = traffic;
    this.callbacks = callbacks;
  }

  public Result handle(EndpointStateChange event) {
    MDC.put("endpointName", event.endpointName());
    MDC.put("eventId", event.envelope().id());
    Optional<ActiveRollout> rollout = store.rollout(event.endpointName());
    Optional<Result> restored = finishTurnaround(event, rollout);
    if (restored.isPresent()) {
      return restored.get();
    }
    // A wait is parked just after the move it waits for: an event that comes before the token
    // is parked would be lost. The event notes the endpoint settled, then looks for a wait once
    // more; the wait takes the note after parking its token. Whichever comes second sees the
    // other, so neither has to poll DescribeEndpoint to be safe.
    boolean noted = false;
    Result last = null;
    for (int look = 0; look < 2; look++) {
      Optional<TokenRegistration> parked = store.registration(event.endpointName(),
          TokenKind.WAIT);
      if (parked.isPresent()) {
        last = complete(event, parked.get());
        if (!ALREADY_CLOSED.equals(last.outcome())) {
          return last;
        }
      }
      if (noted || !note(event, rollout)) {
        break;
      }
      noted = true;
    }
    if (last != null) {
      return last;
    }
    LOG.info("no rollout waits on this endpoint; event ignored",
        entry("eventStatus", event.status()), entry("settleNoted", noted));
    return new Result(IGNORED, "no wait registered for endpoint " + event.endpointName());
  }

  /**
   * DescribeEndpoint's in-progress statuses in the spelling both it and the events reduce to:
   * events send UPPER_SNAKE ({@code SYSTEM_UPDATING}), DescribeEndpoint {@code SystemUpdating}.
   */
  private static final java.util.Set<String> MOVING = EndpointState.IN_PROGRESS.stream()
      .map(EndpointEventResponder::letters).collect(java.util.stream.Collectors.toSet());

  private static String letters(String status) {
    return status.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", "");
  }

  /**
   * Notes a settled endpoint for the next wait, when a rollout holds the endpoint (no one else
   * waits on it) and the event says it settled (a status it does not send counts as settled:
   * the wait then looks once more than it needed to).
   */
  private boolean note(EndpointStateChange event, Optional<ActiveRollout> rollout) {
    Instant at = event.envelope().time();
    String status = event.status() == null ? null : letters(event.status());
    // Only a forward wait relies on the note (a rollback's wait always looks).
    if (rollout.isEmpty() || !rollout.get().phase().forward() || at == null
        || (status != null && MOVING.contains(status))) {
      return false;
    }
    store.markSettled(event.endpointName(), at);
    return true;
  }

  private Result complete(EndpointStateChange event, TokenRegistration wait) {
    MDC.put("executionName", wait.owner());
    String eventStatus = event.status() == null ? null : letters(event.status());
    if (eventStatus != null && MOVING.contains(eventStatus)) {
      // The event itself says the endpoint is moving (every update sends one as it starts): no
      // wait completes on it, so no DescribeEndpoint. The settle event that follows completes the
      // wait, or the note it leaves, or, were that event lost, the wait's own bounded backstop.
      LOG.info("endpoint moving; wait stays parked", entry("eventStatus", event.status()),
          entry("waitPhase", wait.phase() == null ? null : wait.phase().wire()));
      return new Result(STILL_IN_PROGRESS, "endpoint is " + event.status() + " (from the event)");
    }
    // SageMaker may send one change more than once, and the copies arrive together: both find
    // the wait parked before either ends it. The first to claim the change reads the endpoint and
    // ends the wait; a copy reads nothing. Lambda's retry of the same event is not a copy. Claimed
    // only here, so an event no wait is parked for writes nothing.
    if (event.sighting() != null && event.envelope().time() != null
        && !store.firstSighting(event.endpointName(), event.sighting(), event.envelope().id(),
            event.envelope().time())) {
      LOG.info("copy of an endpoint event another invocation is handling; ignored",
          entry("eventStatus", event.status()), entry("sighting", event.sighting()));
      return new Result(DUPLICATE_EVENT, "event reports " + event.sighting() + ", handled by a copy");
    }
    Observation observation = Observation.of(endpoints.describe(event.endpointName()),
        event.envelope().time());
    if (!observation.settled()) {
      LOG.info("endpoint still in progress; wait stays parked", entry("eventStatus", event.status()),
          entry("status", observation.status()),
          entry("waitPhase", wait.phase() == null ? null : wait.phase().wire()));
      return new Result(STILL_IN_PROGRESS, "endpoint is " + observation.status());
    }
    CallbackResult result = callbacks.succeed(wait.token(), observation);
    store.deregister(event.endpointName(), TokenKind.WAIT, wait.token());
    LOG.info(result.delivered() ? "endpoint settled; wait completed" : "endpoint settled but the wait had already ended; benign",
        entry("eventStatus", event.status()), entry("status", observation.status()),
        entry("endpointConfigName", observation.endpointConfigName()),
        entry("waitPhase", wait.phase() == null ? null : wait.phase().wire()),
        entry("callback", result.name()));
    return result.delivered()
        ? new Result(COMPLETED, "endpoint " + observation.status() + " on "
            + observation.endpointConfigName())
        : new Result(ALREADY_CLOSED, "wait had already ended (" + result.name() + ")");
  }

  /**
   * A rollout asked to turn around (a canary alarm, an abort, a rejection) while its endpoint
   * was busy could not get its baseline weights set then: SageMaker refuses a weight change while
   * an update or another weight change runs. The endpoint's state change to a state that accepts
   * calls is the moment to set them: here, at once, rather than at the rollback step's next
   * retry (which stays as the backstop and finds the weights already desired). Only on the
   * canary config, only when the baseline does not already get everything.
   */
  private Optional<Result> finishTurnaround(EndpointStateChange event,
      Optional<ActiveRollout> active) {
    Optional<ActiveRollout> found = active
        .filter(r -> r.stop() != null && r.canaryConfigName() != null
            && (r.phase().forward() || r.phase() == RolloutPhase.BASELINE_WEIGHTS));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ActiveRollout rollout = found.get();
    MDC.put("executionName", rollout.executionName());
    EndpointState s = endpoints.describe(event.endpointName());
    List<VariantWeight> baseline = rollout.baselineWeights();
    if (s.inProgress() || !rollout.canaryConfigName().equals(s.endpointConfigName())
        || EndpointState.NEEDS_A_PERSON.contains(s.status()) || s.desires(baseline)) {
      return Optional.empty();
    }
    try {
      traffic.setWeights(s, baseline);
    } catch (EndpointBusyException e) {
      LOG.info("endpoint busy again; the rollback step retries the weights",
          entry("cause", e.getMessage()));
      return Optional.empty();
    }
    store.appendHistory(event.endpointName(), rollout.executionName(),
        new HistoryEntry.WeightsRestored(event.envelope().time(), rollout.stop().cause()));
    LOG.info("turnaround: baseline weights set as soon as the endpoint accepted calls",
        entry("eventStatus", event.status()), entry("weights", baseline),
        entry("stopCause", rollout.stop().cause()));
    return Optional.of(new Result(WEIGHTS_RESTORED, "baseline weights set on "
        + event.endpointName() + " after " + rollout.stop().cause()));
  }
}
