package dev.poolshift.local.asl;

/**
 * One problem found in a definition, in the form ValidateStateMachineDefinition reports it.
 *
 * @param code e.g. {@code SCHEMA_VALIDATION_FAILED}, {@code MISSING_TRANSITION_TARGET}
 * @param location JSON-pointer-like location, e.g. {@code /States/Shift traffic/Next}; null for
 *     problems of the whole machine
 */
public record Diagnostic(String code, String message, String location) {

  /** AWS's rendering inside an InvalidDefinition message: {@code CODE: message at location}. */
  public String awsText() {
    return code + ": " + message + " at " + location;
  }

  /** For people: {@code /States/A/Next: Missing 'Next' target: Nope [MISSING_TRANSITION_TARGET]}. */
  @Override
  public String toString() {
    return (location == null ? "" : location + ": ") + message + " [" + code + "]";
  }
}
