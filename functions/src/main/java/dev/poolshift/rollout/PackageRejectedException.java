package dev.poolshift.rollout;

/**
 * The model package being rolled out was rejected in the Model Registry while its canary was
 * live: a rollback request. The approval intake sends it with SendTaskFailure and marks the
 * active rollout, so the next step throws it if no wait was registered.
 */
public final class PackageRejectedException extends RolloutException {
  public PackageRejectedException(String message) {
    super(message);
  }

  public PackageRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
