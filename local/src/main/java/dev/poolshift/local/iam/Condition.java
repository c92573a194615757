package dev.poolshift.local.iam;

import java.util.List;
import java.util.Set;

/**
 * One key of one operator of a statement's {@code Condition} block: {@code "StringLike":
 * {"aws:RequestTag/team": ["a", "b"]}} is the condition ({@code StringLike}, {@code
 * aws:RequestTag/team}, [a, b]). The operator name is split into its set qualifier
 * ({@code ForAllValues:}, {@code ForAnyValue:}), its base operator and {@code IfExists}.
 */
record Condition(String operatorName, Qualifier qualifier, String base, boolean ifExists, String key,
    List<PolicyString> values, List<ArnPattern> arns, List<String> rawValues) {

  enum Qualifier { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

  static final Set<String> STRING = Set.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
      "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike");
  static final Set<String> NUMERIC = Set.of("NumericEquals", "NumericNotEquals", "NumericLessThan",
      "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals");
  static final Set<String> DATE = Set.of("DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
      "DateGreaterThan", "DateGreaterThanEquals");
  static final Set<String> ARN = Set.of("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike");
  static final Set<String> OTHER = Set.of("Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "Null");
  /** Operators that match when the key does not match, so also when it is absent. */
  static final Set<String> NEGATED = Set.of("StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike",
      "NumericNotEquals", "DateNotEquals", "ArnNotEquals", "ArnNotLike", "NotIpAddress");

  /**
   * Parses one operator name and key. Operator names are case-sensitive in IAM; an unknown one
   * makes the policy invalid, as IAM refuses to store it.
   */
  static Condition parse(String operatorName, String key, List<String> rawValues, boolean variablesEnabled,
      String where) {
    String rest = operatorName;
    Qualifier qualifier = Qualifier.NONE;
    if (rest.startsWith("ForAllValues:")) {
      qualifier = Qualifier.FOR_ALL_VALUES;
      rest = rest.substring("ForAllValues:".length());
    } else if (rest.startsWith("ForAnyValue:")) {
      qualifier = Qualifier.FOR_ANY_VALUE;
      rest = rest.substring("ForAnyValue:".length());
    }
    boolean ifExists = false;
    if (rest.endsWith("IfExists") && !rest.equals("IfExists")) {
      ifExists = true;
      rest = rest.substring(0, rest.length() - "IfExists".length());
    }
    if (!STRING.contains(rest) && !NUMERIC.contains(rest) && !DATE.contains(rest) && !ARN.contains(rest)
        && !OTHER.contains(rest)) {
      throw new PolicyException(where + ": unknown condition operator " + operatorName);
    }
    if (rest.equals("Null") && (ifExists || qualifier != Qualifier.NONE)) {
      throw new PolicyException(where + ": the Null operator takes neither IfExists nor a set qualifier ("
          + operatorName + ")");
    }
    if (rawValues.isEmpty()) {
      throw new PolicyException(where + ": " + operatorName + " " + key + " has no value");
    }
    // Variables are read in the operators that take them (String, ARN, Bool); the others compare
    // the text as written.
    boolean variables = variablesEnabled && (STRING.contains(rest) || ARN.contains(rest) || rest.equals("Bool"));
    List<PolicyString> values = rawValues.stream().map(v -> PolicyString.of(v, variables)).toList();
    List<ArnPattern> arns = ARN.contains(rest)
        ? rawValues.stream().map(v -> ArnPattern.of(v, variables, true)).toList() : List.of();
    return new Condition(operatorName, qualifier, rest, ifExists, key, values, arns, List.copyOf(rawValues));
  }

  boolean negated() {
    return NEGATED.contains(base);
  }
}
