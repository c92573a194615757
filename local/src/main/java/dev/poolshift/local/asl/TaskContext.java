package dev.poolshift.local.asl;

import dev.poolshift.local.sim.Simulation;
import java.time.Duration;

/**
 * What a {@link TaskResource} knows about the call.
 *
 * @param executionArn the execution the task belongs to
 * @param stateName the Task state's name
 * @param timeout the state's TimeoutSeconds, or null when it has none
 * @param simulation the clock to wait on
 * @param taskToken the callback token for {@code .waitForTaskToken} tasks (already in the
 *     Arguments where the definition put it), else null. A secret: never log it.
 * @param tokens where SendTaskSuccess/Failure/Heartbeat for that token go (for test doubles that
 *     play the callback's sender)
 */
public record TaskContext(String executionArn, String stateName, Duration timeout, Simulation simulation,
    String taskToken, TaskTokens tokens) {

  @Override
  public String toString() {
    return "TaskContext[" + executionArn + ", " + stateName + ", timeout=" + timeout
        + (taskToken == null ? "" : ", token=<redacted>") + "]";
  }
}
