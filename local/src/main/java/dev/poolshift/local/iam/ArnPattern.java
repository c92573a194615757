package dev.poolshift.local.iam;

/**
 * An ARN with wildcards, matched the way IAM matches the {@code Resource} element and the
 * {@code ArnLike} operators: each of the six colon-separated segments on its own ({@code *} never
 * reaches into the next segment), the last segment being everything after the fifth colon, so a
 * {@code *} there may cover slashes and colons. Matching is case-sensitive. The pattern {@code *}
 * alone matches everything, including the {@code *} resource of an action without resource-level
 * permissions, which no other pattern matches (the IAM guide: such actions need {@code "*"}).
 */
final class ArnPattern {
  private final String raw;
  private final boolean everything;
  private final PolicyString[] segments;

  private ArnPattern(String raw, boolean everything, PolicyString[] segments) {
    this.raw = raw;
    this.everything = everything;
    this.segments = segments;
  }

  /**
   * @param variablesInEverySegment true for {@code ArnLike} values; a {@code Resource} takes
   *     variables in its last segment only (the IAM guide: not before the fifth colon)
   */
  static ArnPattern of(String raw, boolean variablesEnabled, boolean variablesInEverySegment) {
    if (raw.equals("*")) {
      return new ArnPattern(raw, true, null);
    }
    String[] parts = raw.split(":", 6);
    PolicyString[] segments = new PolicyString[parts.length];
    for (int i = 0; i < parts.length; i++) {
      boolean variables = variablesEnabled && (variablesInEverySegment || i == 5);
      segments[i] = PolicyString.of(parts[i], variables);
    }
    return new ArnPattern(raw, false, segments);
  }

  boolean matches(String arn, RequestContext context) {
    if (everything) {
      return true;
    }
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || segments.length != 6) {
      return false;
    }
    for (int i = 0; i < 6; i++) {
      if (!segments[i].matches(parts[i], context, false)) {
        return false;
      }
    }
    return true;
  }

  String raw() {
    return raw;
  }

  @Override
  public String toString() {
    return raw;
  }
}
