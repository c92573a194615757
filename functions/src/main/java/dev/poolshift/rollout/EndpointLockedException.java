package dev.poolshift.rollout;

/**
 * Another execution holds the endpoint's rollout lock: one rollout per endpoint at a time.
 * Terminal for this execution (the workflow ends "Rollout rejected"); what a second approval
 * does is the profile's concurrency policy.
 */
public final class EndpointLockedException extends RolloutException {
  private final String endpointName;
  private final String holder;

  /**
   * @param holder the execution name holding the lock, or null when it could not be read
   */
  public EndpointLockedException(String endpointName, String holder, String message) {
    super(message);
    this.endpointName = endpointName;
    this.holder = holder;
  }

  /** The standard message: {@code endpoint <ep> locked by execution <name>}. */
  public static EndpointLockedException lockedBy(String endpointName, String holder) {
    return new EndpointLockedException(endpointName, holder, "endpoint " + endpointName
        + " locked by execution " + (holder == null ? "(unknown)" : holder));
  }

  public String endpointName() {
    return endpointName;
  }

  public String holder() {
    return holder;
  }
}
