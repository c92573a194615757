package dev.poolshift.rollout;

/**
 * A resource with the name Poolshift derived already exists but is not the one this deployment
 * meant to create, or a resource is in use by something else. Terminal: a person must look.
 */
public final class ResourceConflictException extends RolloutException {
  public ResourceConflictException(String message) {
    super(message);
  }

  public ResourceConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
