package dev.poolshift.local.events;

/**
 * How EventBridge starts a Step Functions execution for a rule target ({@code StartExecution}
 * with the event as input, no name). The runtime assembly wires this to the Step Functions engine.
 */
@FunctionalInterface
public interface StateMachineStarter {
  /**
   * Starts an execution and returns its ARN. Failures are {@link dev.poolshift.local.aws.AwsServiceException}s
   * with Step Functions' error codes: {@code ThrottlingException}, {@code ExecutionLimitExceeded}
   * and 5xx statuses are retried by EventBridge; {@code StateMachineDoesNotExist},
   * {@code StateMachineDeleting}, {@code AccessDeniedException}, {@code InvalidExecutionInput} and
   * other 4xx errors are not.
   */
  String start(String stateMachineArn, String inputJson);

  /** For buses without state machine targets: every start fails as if the machine did not exist. */
  StateMachineStarter NONE = (arn, input) -> {
    throw new dev.poolshift.local.aws.AwsServiceException(400, "StateMachineDoesNotExist",
        "State Machine Does Not Exist: '" + arn + "'");
  };
}
