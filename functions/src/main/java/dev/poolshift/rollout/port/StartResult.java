package dev.poolshift.rollout.port;


/**
 * The answer to StartExecution.
 *
 * @param started true when Step Functions accepted it (a new execution, or the same request
 *     again while the first still runs); false for {@code ExecutionAlreadyExists}
 * @param executionArn the execution's ARN when started
 */
public record StartResult(boolean started, String executionArn) {
}
