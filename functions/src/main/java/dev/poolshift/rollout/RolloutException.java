package dev.poolshift.rollout;

/**
 * Base of every failure Poolshift reports to Step Functions. Lambda reports a Java exception's
 * fully qualified class name as the error name, so the state machine matches the concrete
 * subclasses in {@code ErrorEquals}; this base only lets Java callers catch them all.
 */
public abstract class RolloutException extends RuntimeException {
  protected RolloutException(String message) {
    super(message);
  }

  protected RolloutException(String message, Throwable cause) {
    super(message, cause);
  }
}
