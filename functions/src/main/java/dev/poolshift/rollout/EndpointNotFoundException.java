package dev.poolshift.rollout;

/** The endpoint does not exist (SageMaker says "Could not find endpoint"). */
public final class EndpointNotFoundException extends RolloutException {
  public EndpointNotFoundException(String message) {
    super(message);
  }

  public EndpointNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
