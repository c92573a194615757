package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A state failed with a Step Functions error: an error name (null when SendTaskFailure gave none)
 * and a cause. This is the error that Retry and Catch match and that {@code $states.errorOutput}
 * shows.
 */
final class StateError extends Exception {
  static final String ALL = "States.ALL";
  static final String TASK_FAILED = "States.TaskFailed";
  static final String TIMEOUT = "States.Timeout";
  static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
  static final String QUERY_EVALUATION = "States.QueryEvaluationError";
  static final String RUNTIME = "States.Runtime";
  static final String DATA_LIMIT = "States.DataLimitExceeded";
  static final String NO_CHOICE = "States.NoChoiceMatched";
  static final String TOLERATED_FAILURE = "States.ExceedToleratedFailureThreshold";

  private final String error;
  private final String cause;
  private final boolean heartbeat;
  /** For query errors: the field (e.g. {@code Output/b}), written to the EvaluationFailed event. */
  private final String location;

  StateError(String error, String cause) {
    this(error, cause, false, null);
  }

  private StateError(String error, String cause, boolean heartbeat, String location) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.cause = cause;
    this.heartbeat = heartbeat;
    this.location = location;
  }

  /** A missed heartbeat: raised as States.Timeout (as AWS records it) but also matched by States.HeartbeatTimeout. */
  static StateError heartbeatTimeout() {
    return new StateError(TIMEOUT, null, true, null);
  }

  static StateError query(String location, String cause) {
    return new StateError(QUERY_EVALUATION, cause, false, location);
  }

  String error() {
    return error;
  }

  String cause() {
    return cause;
  }

  String location() {
    return location;
  }

  /**
   * Whether a retrier's or catcher's {@code ErrorEquals} entry matches this error.
   *
   * <p>{@code States.ALL} matches everything except {@code States.Runtime} and {@code
   * States.DataLimitExceeded} (DG:concepts-error-handling; the reference resolves the recorded
   * counter-example for DataLimitExceeded in favour of the documentation, the harsher reading).
   * {@code States.TaskFailed} matches what {@code States.ALL} matches minus {@code States.Timeout}.
   * {@code States.HeartbeatTimeout} also matches a heartbeat expiry, which AWS raises as {@code
   * States.Timeout}.
   */
  boolean matches(String name) {
    if (RUNTIME.equals(error)) {
      return false;
    }
    return switch (name) {
      case ALL -> !DATA_LIMIT.equals(error);
      case TASK_FAILED -> !DATA_LIMIT.equals(error) && !TIMEOUT.equals(error);
      case HEARTBEAT_TIMEOUT -> heartbeat || HEARTBEAT_TIMEOUT.equals(error);
      default -> name.equals(error);
    };
  }

  /** {@code {"Error": ..., "Cause": ...}}, with JSON nulls where AWS has none. */
  ObjectNode errorOutput() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (error == null) {
      node.putNull("Error");
    } else {
      node.put("Error", error);
    }
    if (cause == null) {
      node.putNull("Cause");
    } else {
      node.put("Cause", cause);
    }
    return node;
  }
}
