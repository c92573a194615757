package dev.poolshift.rollout;

/**
 * An operator chose to roll back a step held for a decision. Named by the workflow as
 * {@code $failure.error}.
 */
public final class OperatorAbortException extends RolloutException {
  public OperatorAbortException(String message) {
    super(message);
  }

  public OperatorAbortException(String message, Throwable cause) {
    super(message, cause);
  }
}
