package dev.poolshift.local.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A CloudWatch Logs filter pattern, as FilterLogEvents applies it to each event's message.
 *
 * <p><b>Terms</b> (unstructured events): {@code ERROR} (the term), {@code "Exception ERROR"} (a
 * phrase, in double quotes, as every term with characters other than letters, digits and
 * underscores must be), {@code ERROR ARGUMENTS} (both), {@code ?ERROR ?WARN} (either), {@code
 * ERROR -ARGUMENTS} (the first without the second). Case-sensitive.
 *
 * <p><b>JSON</b> events: {@code { $.level = "ERROR" }}, {@code { $.latency > 100 }}, {@code {
 * $.error IS TRUE }}, {@code IS FALSE}, {@code IS NULL}, {@code NOT EXISTS}, combined with {@code
 * &&}, {@code ||} and parentheses; property selectors {@code $.a.b} and {@code $.a[0]}; string
 * values quoted or bare, with {@code *} as a wildcard. An event that is not a JSON object matches
 * no JSON pattern.
 *
 * <p>Where the documentation leaves a case open, the local reading is the stricter one, so a
 * pattern that finds an event here finds it on AWS too:
 * <ul>
 *   <li>a term matches a whole term, not part of a word ({@code AUTHORIZED} does not match
 *       {@code UNAUTHORIZED}; CloudWatch's own examples reach that with a regex pattern); a
 *       phrase's ends follow the same rule;
 *   <li>{@code ?} terms cannot be mixed with plain or excluded terms;
 *   <li>a comparison on a missing field, or on a value of another JSON type ({@code "200"} against
 *       {@code = 200}), is false, {@code !=} included.
 * </ul>
 * Space-delimited ({@code [a, b]}) and regex ({@code %…%}) patterns are not simulated: they are
 * refused rather than matched loosely.
 */
public final class FilterPattern {
  private final Predicate<String> matcher;

  private FilterPattern(Predicate<String> matcher) {
    this.matcher = matcher;
  }

  /** Thrown for a pattern CloudWatch Logs would refuse (InvalidParameterException). */
  public static final class InvalidPatternException extends RuntimeException {
    InvalidPatternException(String message) {
      super(message, null, false, false);
    }
  }

  /** The pattern; null or blank matches every event. */
  public static FilterPattern parse(String text) {
    if (text == null || text.isBlank()) {
      return new FilterPattern(m -> true);
    }
    String t = text.strip();
    if (t.startsWith("{")) {
      if (!t.endsWith("}")) {
        throw new InvalidPatternException("Invalid filter pattern: a JSON pattern must end with '}': " + text);
      }
      Predicate<JsonNode> json = new JsonParser(t.substring(1, t.length() - 1)).parse();
      return new FilterPattern(message -> {
        JsonNode node = parseObject(message);
        return node != null && json.test(node);
      });
    }
    if (t.startsWith("[")) {
      throw new InvalidPatternException("space-delimited filter patterns ([...]) are not simulated locally: " + text);
    }
    if (t.startsWith("%")) {
      throw new InvalidPatternException("regex filter patterns (%...%) are not simulated locally: " + text);
    }
    return new FilterPattern(terms(t));
  }

  public boolean matches(String message) {
    return matcher.test(message);
  }

  // ---------------------------------------------------------------- terms

  private record Term(String text, char mode) {}

  private static Predicate<String> terms(String pattern) {
    List<Term> terms = new ArrayList<>();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      char mode = ' ';
      if (c == '?' || c == '-') {
        mode = c;
        i++;
      }
      if (i < pattern.length() && pattern.charAt(i) == '"') {
        int close = pattern.indexOf('"', i + 1);
        if (close < 0) {
          throw new InvalidPatternException("Invalid filter pattern: unbalanced quotes in " + pattern);
        }
        terms.add(new Term(pattern.substring(i + 1, close), mode));
        i = close + 1;
        continue;
      }
      int end = i;
      while (end < pattern.length() && !Character.isWhitespace(pattern.charAt(end))) {
        end++;
      }
      String term = pattern.substring(i, end);
      if (term.isEmpty() || !term.chars().allMatch(FilterPattern::isWordChar)) {
        throw new InvalidPatternException("Invalid character(s) in term '" + term + "'");
      }
      terms.add(new Term(term, mode));
      i = end;
    }
    boolean anyOr = terms.stream().anyMatch(t -> t.mode() == '?');
    if (anyOr && terms.stream().anyMatch(t -> t.mode() != '?')) {
      throw new InvalidPatternException("Invalid filter pattern: ?term alternatives cannot be mixed with other terms: "
          + pattern);
    }
    if (terms.stream().allMatch(t -> t.text().isBlank() && t.mode() == ' ')) {
      return m -> true; // " " is CloudWatch's way of writing "every event"
    }
    if (anyOr) {
      return m -> terms.stream().anyMatch(t -> containsTerm(m, t.text()));
    }
    return m -> terms.stream().allMatch(t -> containsTerm(m, t.text()) == (t.mode() != '-'));
  }

  static boolean isWordChar(int c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
  }

  /** Whether {@code term} occurs in {@code message} not as part of a longer word. */
  static boolean containsTerm(String message, String term) {
    if (term.isEmpty()) {
      return true;
    }
    boolean wordStart = isWordChar(term.charAt(0));
    boolean wordEnd = isWordChar(term.charAt(term.length() - 1));
    for (int at = message.indexOf(term); at >= 0; at = message.indexOf(term, at + 1)) {
      int after = at + term.length();
      boolean startOk = !wordStart || at == 0 || !isWordChar(message.charAt(at - 1));
      boolean endOk = !wordEnd || after == message.length() || !isWordChar(message.charAt(after));
      if (startOk && endOk) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- JSON

  private static JsonNode parseObject(String message) {
    String m = message.strip();
    if (!m.startsWith("{")) {
      return null;
    }
    try {
      JsonNode node = LocalJson.parse(m);
      return node.isObject() ? node : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Recursive descent over {@code expr := and ('||' and)*; and := primary ('&&' primary)*}. */
  private static final class JsonParser {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private final String text;
    private int pos;

    JsonParser(String text) {
      this.text = text;
    }

    Predicate<JsonNode> parse() {
      Predicate<JsonNode> p = or();
      skipSpace();
      if (pos != text.length()) {
        throw invalid("unexpected '" + text.substring(pos) + "'");
      }
      return p;
    }

    private Predicate<JsonNode> or() {
      Predicate<JsonNode> left = and();
      while (take("||")) {
        Predicate<JsonNode> l = left;
        Predicate<JsonNode> r = and();
        left = n -> l.test(n) || r.test(n);
      }
      return left;
    }

    private Predicate<JsonNode> and() {
      Predicate<JsonNode> left = primary();
      while (take("&&")) {
        Predicate<JsonNode> l = left;
        Predicate<JsonNode> r = primary();
        left = n -> l.test(n) && r.test(n);
      }
      return left;
    }

    private Predicate<JsonNode> primary() {
      if (take("(")) {
        Predicate<JsonNode> inner = or();
        if (!take(")")) {
          throw invalid("missing ')'");
        }
        return inner;
      }
      List<Object> path = selector();
      skipSpace();
      if (takeWord("IS")) {
        if (takeWord("TRUE")) {
          return n -> resolve(n, path).isBoolean() && resolve(n, path).booleanValue();
        }
        if (takeWord("FALSE")) {
          return n -> resolve(n, path).isBoolean() && !resolve(n, path).booleanValue();
        }
        if (takeWord("NULL")) {
          return n -> resolve(n, path).isNull();
        }
        throw invalid("IS must be followed by TRUE, FALSE or NULL");
      }
      if (takeWord("NOT")) {
        if (takeWord("EXISTS")) {
          return n -> resolve(n, path).isMissingNode();
        }
        throw invalid("NOT must be followed by EXISTS");
      }
      String op = operator();
      skipSpace();
      if (pos < text.length() && text.charAt(pos) == '"') {
        int close = text.indexOf('"', pos + 1);
        if (close < 0) {
          throw invalid("unbalanced quotes");
        }
        String value = text.substring(pos + 1, close);
        pos = close + 1;
        return stringComparison(path, op, value);
      }
      int start = pos;
      while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && ")&|".indexOf(text.charAt(pos)) < 0) {
        pos++;
      }
      String bare = text.substring(start, pos);
      if (bare.isEmpty()) {
        throw invalid("missing value after " + op);
      }
      if (bare.startsWith("%")) {
        throw new InvalidPatternException("regex values (%...%) in JSON filter patterns are not simulated locally");
      }
      if (NUMBER.matcher(bare).matches()) {
        BigDecimal number = new BigDecimal(bare);
        return n -> {
          JsonNode v = resolve(n, path);
          if (!v.isNumber()) {
            return false;
          }
          int c = v.decimalValue().compareTo(number);
          return switch (op) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
          };
        };
      }
      return stringComparison(path, op, bare);
    }

    private Predicate<JsonNode> stringComparison(List<Object> path, String op, String value) {
      if (!op.equals("=") && !op.equals("!=")) {
        throw invalid("strings compare with = or != only, not " + op);
      }
      Pattern glob = glob(value);
      boolean equal = op.equals("=");
      return n -> {
        JsonNode v = resolve(n, path);
        return v.isTextual() && glob.matcher(v.textValue()).matches() == equal;
      };
    }

    /** A string value with {@code *} standing for any run of characters. */
    private static Pattern glob(String value) {
      StringBuilder regex = new StringBuilder();
      String[] parts = value.split("\\*", -1);
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          regex.append(".*");
        }
        regex.append(Pattern.quote(parts[i]));
      }
      return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private List<Object> selector() {
      skipSpace();
      if (!take("$")) {
        throw invalid("a property selector starts with $.");
      }
      List<Object> path = new ArrayList<>();
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '.') {
          pos++;
          int start = pos;
          while (pos < text.length() && (isWordChar(text.charAt(pos)) || "-@$".indexOf(text.charAt(pos)) >= 0)) {
            pos++;
          }
          if (start == pos) {
            throw invalid("empty property name");
          }
          path.add(text.substring(start, pos));
        } else if (c == '[') {
          int close = text.indexOf(']', pos);
          if (close < 0) {
            throw invalid("missing ']'");
          }
          try {
            path.add(Integer.parseInt(text.substring(pos + 1, close).strip()));
          } catch (NumberFormatException e) {
            throw invalid("array index must be a number: " + text.substring(pos, close + 1));
          }
          pos = close + 1;
        } else {
          break;
        }
      }
      if (path.isEmpty()) {
        throw invalid("a property selector names a field: $.field");
      }
      return path;
    }

    private static JsonNode resolve(JsonNode node, List<Object> path) {
      JsonNode n = node;
      for (Object step : path) {
        n = step instanceof Integer i ? n.path(i) : n.path((String) step);
      }
      return n;
    }

    private String operator() {
      skipSpace();
      for (String op : List.of("!=", "<=", ">=", "=", "<", ">")) {
        if (text.startsWith(op, pos)) {
          pos += op.length();
          return op;
        }
      }
      throw invalid("expected a comparison (=, !=, <, <=, >, >=), IS or NOT EXISTS");
    }

    private boolean take(String token) {
      skipSpace();
      if (text.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    private boolean takeWord(String word) {
      skipSpace();
      int end = pos + word.length();
      if (text.startsWith(word, pos) && (end == text.length() || !isWordChar(text.charAt(end)))) {
        pos = end;
        return true;
      }
      return false;
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private InvalidPatternException invalid(String why) {
      return new InvalidPatternException("Invalid filter pattern: " + why + " in { " + text.strip() + " }");
    }
  }
}
