package dev.poolshift.rollout;

import java.util.Objects;

/**
 * One thing wrong with an input, named by its path ({@code instancePools[1].priority}) so the
 * person who wrote the input can find it.
 */
public record FieldError(String path, String message) {
  public FieldError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
