package dev.poolshift.rollout.port;


/** What Step Functions said to a SendTaskSuccess or SendTaskFailure. */
public enum CallbackResult {
  /** The waiting task got it. */
  DELIVERED,
  /** {@code TaskTimedOut}: the task already ended (completed, timed out, execution stopped). */
  TASK_CLOSED,
  /** {@code InvalidToken}: not a token of this account, or malformed. */
  INVALID_TOKEN,
  /** {@code TaskDoesNotExist}: the execution is gone. */
  TASK_DOES_NOT_EXIST;

  public boolean delivered() {
    return this == DELIVERED;
  }
}
