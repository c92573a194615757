package dev.poolshift.rollout;

/**
 * A variant's auto scaling, taken out for a rollout, could not be put back. Terminal: the
 * endpoint serves, but no longer scales; a person must re-apply the setup the message carries.
 * The workflow escalates it and keeps the endpoint's lock.
 */
public final class ScalingNotRestoredException extends RolloutException {
  public ScalingNotRestoredException(String message, Throwable cause) {
    super(message, cause);
  }
}
