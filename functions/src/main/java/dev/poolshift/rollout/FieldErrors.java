package dev.poolshift.rollout;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem in an input before failing, so one round trip shows them all. */
public final class FieldErrors {
  private final List<FieldError> errors = new ArrayList<>();

  public FieldErrors add(String path, String message) {
    errors.add(new FieldError(path, message));
    return this;
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public int size() {
    return errors.size();
  }

  public List<FieldError> list() {
    return List.copyOf(errors);
  }

  /** Throws an {@link InvalidInputException} naming every collected problem, if there is one. */
  public void throwIfAny(String what) {
    if (!errors.isEmpty()) {
      throw new InvalidInputException(what, errors);
    }
  }
}
