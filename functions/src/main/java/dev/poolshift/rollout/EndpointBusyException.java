package dev.poolshift.rollout;

/**
 * The endpoint is in a transitional state (Creating, Updating, SystemUpdating, RollingBack,
 * Deleting) and SageMaker refused a write with "Cannot update in-progress endpoint". Retry after
 * the endpoint is {@code InService}; never treat the step as done.
 */
public final class EndpointBusyException extends RolloutException {
  public EndpointBusyException(String message) {
    super(message);
  }

  public EndpointBusyException(String message, Throwable cause) {
    super(message, cause);
  }
}
