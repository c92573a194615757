package dev.poolshift.rollout;

/**
 * The endpoint configuration does not exist. Right after CreateEndpointConfig this can be eventual
 * consistency (documented for UpdateEndpoint), so a short bounded retry is reasonable before
 * giving up.
 */
public final class EndpointConfigNotFoundException extends RolloutException {
  public EndpointConfigNotFoundException(String message) {
    super(message);
  }

  public EndpointConfigNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
