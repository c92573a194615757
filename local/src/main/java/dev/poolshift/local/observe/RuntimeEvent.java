package dev.poolshift.local.observe;

import java.time.Instant;

/**
 * Something the local runtime did that a person watching it wants to see as it happens: an
 * execution starting, entering a state or ending, a line a function logged, a message SNS
 * accepted. Times are virtual.
 */
public sealed interface RuntimeEvent {
  /** When it happened, in virtual time. */
  Instant at();

  /** StartExecution accepted an execution; {@code input} is its JSON text. */
  record ExecutionStarted(Instant at, String executionArn, String name, String stateMachine, String input)
      implements RuntimeEvent {}

  /** An execution entered a state (a {@code *StateEntered} history event). */
  record StateEntered(Instant at, String executionArn, String execution, String state) implements RuntimeEvent {}

  /**
   * An execution closed. {@code status} is Step Functions' ({@code SUCCEEDED}, {@code FAILED},
   * {@code ABORTED}, {@code TIMED_OUT}); {@code output} is the JSON text on success, else null.
   */
  record ExecutionEnded(Instant at, String executionArn, String name, String status, String output, String error,
      String cause) implements RuntimeEvent {}

  /**
   * One line a function wrote, in the log group and stream Lambda would send it to
   * ({@code /aws/lambda/<name>}, one stream per execution environment).
   */
  record LambdaLog(Instant at, String functionName, String logGroup, String logStream, String requestId, String text)
      implements RuntimeEvent {}

  /** SNS accepted a Publish. */
  record SnsPublished(Instant at, String topicArn, String subject, String message, String messageId)
      implements RuntimeEvent {}
}
