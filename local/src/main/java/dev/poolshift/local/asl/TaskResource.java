package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a Task state's {@code Resource} does: the SPI behind {@code lambda:invoke}, {@code
 * aws-sdk:*} and test doubles. The executor does everything else (Arguments, timeouts, retries,
 * history, and the whole {@code .waitForTaskToken} protocol: it strips the suffix, issues the token,
 * calls the resource, then waits for SendTaskSuccess/Failure/Heartbeat).
 */
public interface TaskResource {

  /**
   * Whether this resource handles {@code resourceArn} (the ARN without {@code .waitForTaskToken}).
   * Asked when a definition is loaded: an unsupported resource makes the definition invalid.
   */
  boolean supports(String resourceArn);

  /**
   * Runs the task once (one attempt). Called on the execution's simulation activity (or a child of
   * it): it may wait on the simulation, e.g. to model a slow function; the executor enforces the
   * state's TimeoutSeconds around it.
   *
   * @param resourceArn the ARN without {@code .waitForTaskToken}
   * @param arguments the evaluated {@code Arguments} (or the state input when there are none)
   * @return the result as the state sees it in {@code $states.result}; for a callback task, the
   *     immediate response of the call (history's TaskSubmitted output)
   * @throws TaskFailure the task failed with a Step Functions error name and cause
   */
  JsonNode call(String resourceArn, JsonNode arguments, TaskContext context) throws TaskFailure;

  /** How history names this resource ({@code resourceType}/{@code resource}) for the full ARN. */
  default ResourceNaming naming(String resourceArn) {
    return ResourceNaming.of(resourceArn);
  }
}
