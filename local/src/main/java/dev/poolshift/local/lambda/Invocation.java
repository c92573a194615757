package dev.poolshift.local.lambda;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt to run a function, as recorded by the {@link LambdaService}: synchronous calls and
 * every attempt of an asynchronous event (with its attempt number), including throttled ones.
 *
 * @param coldStart whether a new execution environment was initialised for it
 * @param errorType the function's {@code errorType} or the service error code, null on success
 */
public record Invocation(
    String requestId,
    String functionName,
    String executedVersion,
    Type type,
    int attempt,
    String origin,
    Instant start,
    Instant end,
    boolean coldStart,
    Outcome outcome,
    String errorType) {

  public enum Type { REQUEST_RESPONSE, EVENT }

  public enum Outcome {
    SUCCESS,
    /** The handler threw (or its initialisation did). */
    FUNCTION_ERROR,
    /** The function ran past its timeout ({@code Sandbox.Timedout}). */
    TIMEOUT,
    /** {@code TooManyRequestsException}: reserved concurrency exhausted or an injected throttle. */
    THROTTLED,
    /** {@code ServiceException} (injected). */
    SERVICE_ERROR,
    /** The function does not exist (or is made unavailable by a fault). */
    NOT_FOUND
  }

  public Duration duration() {
    return Duration.between(start, end);
  }
}
