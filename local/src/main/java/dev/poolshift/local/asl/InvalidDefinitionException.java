package dev.poolshift.local.asl;

import java.util.List;
import java.util.stream.Collectors;

/** A definition failed validation; {@link #diagnostics()} lists every problem found, not just the first. */
public final class InvalidDefinitionException extends Exception {
  private final List<Diagnostic> diagnostics;

  public InvalidDefinitionException(List<Diagnostic> diagnostics) {
    super("Invalid State Machine Definition: '"
        + diagnostics.stream().map(Diagnostic::awsText).collect(Collectors.joining(", ")) + "'", null, false, false);
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
