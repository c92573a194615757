package dev.poolshift.rollout;

/**
 * The endpoint did not settle within the wait's bound. Named by the workflow as
 * {@code $failure.error} (the Choice state sets it, nothing throws it); the class exists so the
 * name resolves and Java callers can reason about it.
 */
public final class EndpointWaitTimedOutException extends RolloutException {
  public EndpointWaitTimedOutException(String message) {
    super(message);
  }

  public EndpointWaitTimedOutException(String message, Throwable cause) {
    super(message, cause);
  }
}
