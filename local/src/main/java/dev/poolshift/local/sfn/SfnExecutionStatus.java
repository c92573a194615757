package dev.poolshift.local.sfn;

/** DescribeExecution's {@code status}. */
public enum SfnExecutionStatus {
  RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
