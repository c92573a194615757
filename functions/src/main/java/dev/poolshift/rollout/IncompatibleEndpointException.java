package dev.poolshift.rollout;

/**
 * The endpoint's current state does not allow this rollout (serverless or inference-component
 * variant, shadow variants, a leftover canary variant, a Failed endpoint, several variants with
 * none named). Terminal.
 */
public final class IncompatibleEndpointException extends RolloutException {
  public IncompatibleEndpointException(String message) {
    super(message);
  }

  public IncompatibleEndpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
