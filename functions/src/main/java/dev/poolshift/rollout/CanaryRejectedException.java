package dev.poolshift.rollout;

/**
 * The canary gate judged a step unhealthy (ROLL_BACK), an inconclusive step found no operator
 * decision in time, or the fleet landed on hardware the fallback policy refuses. The workflow
 * names it as {@code $failure.error}; steps may throw it too.
 */
public final class CanaryRejectedException extends RolloutException {
  public CanaryRejectedException(String message) {
    super(message);
  }

  public CanaryRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
