package dev.poolshift.rollout;

/**
 * A newer rollout for the same endpoint superseded this one (the profile's concurrency policy
 * {@code supersede}): the running canary returns to its baseline first, then the newer one takes
 * the endpoint. Sent with SendTaskFailure to the running rollout's parked wait, or thrown by its
 * next forward step from the stop request left on its active-rollout record.
 */
public final class RolloutSupersededException extends RolloutException {
  public RolloutSupersededException(String message) {
    super(message);
  }
}
