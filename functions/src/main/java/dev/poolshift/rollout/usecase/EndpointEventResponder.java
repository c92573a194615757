package dev.poolshift.rollout.usecase;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.event.EndpointStateChange;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
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

  private final RolloutStore store;
  private final Endpoints endpoints;
  private final TaskCallbacks callbacks;

  public EndpointEventResponder(RolloutStore store, Endpoints endpoints,
      TaskCallbacks callbacks) {
    this.store = store;
    this.endpoints = endpoints;
    this.callbacks = callbacks;
  }

  public Result handle(EndpointStateChange event) {
    MDC.put("endpointName", event.endpointName());
    MDC.put("eventId", event.envelope().id());
    Optional<TokenRegistration> parked = store.registration(event.endpointName(), TokenKind.WAIT);
    if (parked.isEmpty()) {
      LOG.info("no rollout waits on this endpoint; event ignored",
          entry("eventStatus", event.status()));
      return new Result(IGNORED, "no wait registered for endpoint " + event.endpointName());
    }
    TokenRegistration wait = parked.get();
    MDC.put("executionName", wait.owner());
    Observation observation = Observation.of(endpoints.describe(event.endpointName()));
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
}
