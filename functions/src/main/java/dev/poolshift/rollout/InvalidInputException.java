package dev.poolshift.rollout;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An input (deployment profile, console input, event, ARN) is malformed. Terminal: retrying the
 * same input cannot succeed. The message lists every problem as {@code path: what was expected}.
 */
public final class InvalidInputException extends RolloutException {
  private final List<FieldError> errors;

  public InvalidInputException(String what, List<FieldError> errors) {
    super(describe(what, errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an InvalidInputException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  public InvalidInputException(String what, String path, String message) {
    this(what, List.of(new FieldError(path, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String describe(String what, List<FieldError> errors) {
    String list = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    return what == null || what.isBlank() ? list : what + ": " + list;
  }
}
