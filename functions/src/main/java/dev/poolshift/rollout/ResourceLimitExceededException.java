package dev.poolshift.rollout;

/**
 * An account quota stopped the call (SageMaker {@code ResourceLimitExceeded}, e.g. instance-type
 * quota for endpoint usage). Terminal until a person raises the quota.
 */
public final class ResourceLimitExceededException extends RolloutException {
  public ResourceLimitExceededException(String message) {
    super(message);
  }

  public ResourceLimitExceededException(String message, Throwable cause) {
    super(message, cause);
  }
}
