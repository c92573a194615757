package dev.poolshift.local.sfn;

/** DescribeExecution's {@code status}. */
public enum ExecutionStatus {
  RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
