package dev.poolshift.rollout;

/**
 * An AWS call failed in a way that may succeed when repeated: throttling, a 5xx from the service,
 * or a network failure (after the SDK's own retries). Retry with back-off. Throttling is the
 * subclass {@link ServiceThrottledException}, which the workflow waits out longer.
 */
public class TransientServiceException extends RolloutException {
  public TransientServiceException(String message) {
    super(message);
  }

  public TransientServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
