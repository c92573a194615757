package dev.poolshift.rollout.port;

import dev.poolshift.rollout.TaskToken;

/**
 * Completes parked Step Functions tasks. A token whose task already ended is a normal outcome
 * (events come doubled, late, after a backstop), reported as a {@link CallbackResult}, not
 * thrown.
 */
public interface TaskCallbacks {
  /** @param output becomes the task's result (serialised as JSON, at most 256 KiB) */
  CallbackResult succeed(TaskToken token, Object output);

  /**
   * @param error the error name the state machine matches, e.g. a fully qualified exception name
   * @param cause free text for the person reading the execution
   */
  CallbackResult fail(TaskToken token, String error, String cause);
}
