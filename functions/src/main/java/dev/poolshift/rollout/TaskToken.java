package dev.poolshift.rollout;

/**
 * A Step Functions task token. Tokens are secrets: whoever holds one can complete the task, so
 * {@link #toString()} never shows it and it is not a record (a record would print it). Only the
 * adapters that store it or send it to Step Functions call {@link #reveal()}.
 */
public final class TaskToken {
  /** SendTaskSuccess/Failure accept tokens of 1–2048 characters. */
  public static final int MAX_LENGTH = 2048;
  private final String value;

  public TaskToken(String value) {
    if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
      // The message must not echo the value: it may be (most of) a real token.
      throw new InvalidInputException(null, "taskToken",
          "must be 1–" + MAX_LENGTH + " characters (got " + (value == null ? "none"
              : value.length() + " characters") + ")");
    }
    this.value = value;
  }

  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskToken t && t.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "TaskToken[redacted]";
  }
}
