package dev.poolshift.rollout;

/**
 * An operator rolled the rollout back: the {@code abort} console action (sent with
 * SendTaskFailure to the rollout's parked wait, or thrown by its next forward step from the stop
 * request on its active-rollout record), or the decision "abort" on a step held for a person
 * (named by the workflow as {@code $failure.error}).
 */
public final class OperatorAbortException extends RolloutException {
  public OperatorAbortException(String message) {
    super(message);
  }

  public OperatorAbortException(String message, Throwable cause) {
    super(message, cause);
  }
}
