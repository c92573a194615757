package dev.poolshift.rollout.usecase.support;

/**
 * Outputs Poolshift completes its parked waits with, other than an endpoint observation and an
 * operator's decision. The workflow does not branch on them; they show in the execution history.
 */
public final class WaitOutputs {
  private WaitOutputs() {}

  /** A queued rollout's or an operator action's wait: the endpoint was let go of. */
  public record EndpointReleased(String endpointName, String releasedBy) {
  }

  /** A bake cut short by an operator's promotion: its gate runs now. */
  public record BakeCut(boolean promote) {
  }
}
