package dev.poolshift.rollout.port;

import java.util.Optional;

/** Whether a rollout execution still runs (DescribeExecution). */
public interface ExecutionStatus {
  /**
   * RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE; empty when Step Functions
   * does not know the execution (never started here, or aged out).
   */
  Optional<String> of(String executionArn);
}
