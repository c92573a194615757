package dev.poolshift.local.asl;

/**
 * A task failed: {@code error} is the name Retry/Catch match ({@code Lambda.ServiceException},
 * {@code java.lang.IllegalStateException}, {@code SageMaker.ResourceNotFoundException}, ...),
 * {@code cause} the text AWS would show. Either may be null.
 */
public final class TaskFailure extends Exception {
  private final String error;
  private final String cause;

  public TaskFailure(String error, String cause) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.cause = cause;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return cause;
  }
}
