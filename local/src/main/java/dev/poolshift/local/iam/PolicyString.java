package dev.poolshift.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A string from a policy (an action, a resource, a condition value) with its wildcards and
 * policy variables, as IAM reads them:
 * <ul>
 *   <li>{@code *} matches any run of characters, {@code ?} any one character (where the element
 *       or operator allows wildcards);</li>
 *   <li>{@code ${key}} is the value of the context key {@code key} (names case-insensitive), and
 *       {@code ${key, 'default'}} falls back to {@code default}; a variable without a value
 *       leaves the string without a value, so it matches nothing (IAM: "the value is effectively
 *       null. There is no equal or like value");</li>
 *   <li>{@code ${*}}, {@code ${?}}, {@code ${$}} are a literal {@code *}, {@code ?}, {@code $};</li>
 *   <li>only a policy whose {@code Version} is {@code 2012-10-17} has variables: in an older or
 *       unversioned one {@code ${...}} is plain text.</li>
 * </ul>
 * A substituted value is inserted as literal text, never as a wildcard (the harsher reading:
 * AWS does not say; a value cannot widen a pattern this way).
 */
final class PolicyString {
  private sealed interface Token permits Text, Any, One, Variable {}

  private record Text(String text) implements Token {}

  private record Any() implements Token {}

  private record One() implements Token {}

  private record Variable(String key, String fallback) implements Token {}

  private final String raw;
  private final List<Token> tokens;
  private final boolean variables;
  private Pattern caseSensitive;
  private Pattern ignoringCase;

  private PolicyString(String raw, List<Token> tokens) {
    this.raw = raw;
    this.tokens = tokens;
    this.variables = tokens.stream().anyMatch(t -> t instanceof Variable);
  }

  static PolicyString of(String raw, boolean variablesEnabled) {
    List<Token> tokens = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (variablesEnabled && c == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '{') {
        int end = raw.indexOf('}', i + 2);
        if (end > 0) {
          String inside = raw.substring(i + 2, end).strip();
          switch (inside) {
            case "*", "?", "$" -> text.append(inside);
            default -> {
              flush(text, tokens);
              tokens.add(variable(inside, raw));
            }
          }
          i = end + 1;
          continue;
        }
      }
      if (c == '*' || c == '?') {
        flush(text, tokens);
        tokens.add(c == '*' ? new Any() : new One());
      } else {
        text.append(c);
      }
      i++;
    }
    flush(text, tokens);
    return new PolicyString(raw, List.copyOf(tokens));
  }

  private static Variable variable(String inside, String raw) {
    int comma = inside.indexOf(',');
    if (comma < 0) {
      return new Variable(inside, null);
    }
    String key = inside.substring(0, comma).strip();
    String fallback = inside.substring(comma + 1).strip();
    if (fallback.length() < 2 || !fallback.startsWith("'") || !fallback.endsWith("'")) {
      throw new PolicyException("policy variable ${" + inside + "} in \"" + raw
          + "\": a default value is written ${key, 'value'}");
    }
    return new Variable(key, fallback.substring(1, fallback.length() - 1));
  }

  private static void flush(StringBuilder text, List<Token> tokens) {
    if (!text.isEmpty()) {
      tokens.add(new Text(text.toString()));
      text.setLength(0);
    }
  }

  String raw() {
    return raw;
  }

  boolean hasVariables() {
    return variables;
  }

  /**
   * The string with variables substituted and wildcards kept as the characters they are (for
   * operators without wildcards, such as {@code StringEquals}); null when a variable has no value.
   */
  String literal(RequestContext context) {
    StringBuilder out = new StringBuilder();
    for (Token t : tokens) {
      switch (t) {
        case Text x -> out.append(x.text());
        case Any a -> out.append('*');
        case One o -> out.append('?');
        case Variable v -> {
          String value = valueOf(v, context);
          if (value == null) {
            return null;
          }
          out.append(value);
        }
      }
    }
    return out.toString();
  }

  /** Whether {@code candidate} matches this as a wildcard pattern; false when a variable has no value. */
  boolean matches(String candidate, RequestContext context, boolean ignoreCase) {
    Pattern p = variables ? compile(context, ignoreCase) : cached(ignoreCase);
    return p != null && p.matcher(candidate).matches();
  }

  private Pattern cached(boolean ignoreCase) {
    if (ignoreCase) {
      if (ignoringCase == null) {
        ignoringCase = compile(null, true);
      }
      return ignoringCase;
    }
    if (caseSensitive == null) {
      caseSensitive = compile(null, false);
    }
    return caseSensitive;
  }

  private Pattern compile(RequestContext context, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (Token t : tokens) {
      switch (t) {
        case Text x -> regex.append(Pattern.quote(x.text()));
        case Any a -> regex.append(".*");
        case One o -> regex.append('.');
        case Variable v -> {
          String value = valueOf(v, context);
          if (value == null) {
            return null;
          }
          regex.append(Pattern.quote(value));
        }
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE
        | Pattern.UNICODE_CASE : 0));
  }

  private static String valueOf(Variable v, RequestContext context) {
    String value = context == null ? null : context.value(v.key());
    return value != null ? value : v.fallback();
  }

  @Override
  public String toString() {
    return raw;
  }
}
