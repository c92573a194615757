package dev.poolshift.local.cloudwatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * CloudWatch metric math, the subset alarms and dashboards use here: numbers, metric ids, {@code
 * + - * / ^}, comparisons ({@code > < >= <= == !=}, 1 for true, 0 for false), {@code AND/&&},
 * {@code OR/||}, {@code NOT/!}, arrays {@code [a, b]}, and the functions {@code IF(c, a[, b])},
 * {@code FILL(m, value|REPEAT|LINEAR)}, {@code SUM/AVG/MIN/MAX} (over an array: a time series;
 * over one time series: a scalar), {@code ABS, CEIL, FLOOR, PERIOD, TIME_SERIES, METRICS}. Any
 * other function is rejected when the expression is checked (PutMetricAlarm time), never ignored.
 *
 * <p>Time series combine by timestamp: an operation between two series yields points only where
 * both have one (use FILL for gaps); a result that is not a finite number (division by zero)
 * yields no point there.
 */
public final class MetricMath {
  private MetricMath() {}

  /** A problem with an expression; the message is what the caller reports. */
  public static final class MathException extends Exception {
    public MathException(String message) {
      super(message, null, false, false);
    }
  }

  /** What an expression produces. */
  public enum Type { SCALAR, SERIES, ARRAY }

  static final Set<String> FUNCTIONS = Set.of("IF", "FILL", "SUM", "AVG", "MIN", "MAX", "ABS", "CEIL", "FLOOR",
      "PERIOD", "TIME_SERIES", "METRICS");

  // ------------------------------------------------------------------ syntax tree

  /** A parsed expression. */
  public sealed interface Node {}

  record Num(double value) implements Node {}

  record Ref(String id) implements Node {}

  record Str(String text) implements Node {}

  record Keyword(String word) implements Node {}

  record Call(String function, List<Node> args) implements Node {}

  record Unary(String op, Node operand) implements Node {}

  record Binary(String op, Node left, Node right) implements Node {}

  record ArrayLit(List<Node> items) implements Node {}

  // ------------------------------------------------------------------ values

  /** A time series: ascending epoch-second timestamps with a value each. */
  public record Series(String label, long[] times, double[] values) {
    int indexOf(long t) {
      return Arrays.binarySearch(times, t);
    }

    int size() {
      return times.length;
    }
  }

  /** A value during evaluation. */
  public sealed interface Value {}

  public record Scalar(double value) implements Value {}

  public record SeriesValue(Series series) implements Value {}

  public record ArrayValue(List<Series> series) implements Value {}

  /** What evaluation needs from the query around it. */
  public interface Context {
    /** The timestamps of the query's periods (epoch seconds, ascending), for FILL and TIME_SERIES. */
    long[] grid();

    /** The query's period in seconds. */
    long period();

    /** The value of another query in the same request, by id. */
    Value resolve(String id);

    /** Every metric (MetricStat) query of the request, with its id and label, for METRICS(). */
    List<Series> metrics(String filter);
  }

  // ------------------------------------------------------------------ parsing

  /** Parses an expression. */
  public static Node parse(String text) throws MathException {
    Parser p = new Parser(text);
    Node node = p.expression();
    if (p.peek() != null) {
      throw new MathException("unexpected '" + p.peek().text + "' at position " + (p.peek().pos + 1));
    }
    return node;
  }

  private record Token(String kind, String text, int pos) {}

  private static final class Parser {
    private final List<Token> tokens = new ArrayList<>();
    private int at;

    Parser(String text) throws MathException {
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
          int start = i;
          while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
            i++;
          }
          if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int save = i;
            i++;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
              i++;
            }
            if (i < text.length() && Character.isDigit(text.charAt(i))) {
              while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
              }
            } else {
              i = save;
            }
          }
          tokens.add(new Token("num", text.substring(start, i), start));
        } else if (Character.isLetter(c) || c == '_') {
          int start = i;
          while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
          }
          tokens.add(new Token("word", text.substring(start, i), start));
        } else if (c == '"' || c == '\'') {
          int start = i++;
          StringBuilder b = new StringBuilder();
          while (i < text.length() && text.charAt(i) != c) {
            b.append(text.charAt(i++));
          }
          if (i >= text.length()) {
            throw new MathException("unterminated string at position " + (start + 1));
          }
          i++;
          tokens.add(new Token("str", b.toString(), start));
        } else {
          String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
          if (Set.of(">=", "<=", "==", "!=", "&&", "||").contains(two)) {
            tokens.add(new Token("op", two, i));
            i += 2;
          } else if ("+-*/^()[],<>!".indexOf(c) >= 0) {
            tokens.add(new Token("op", String.valueOf(c), i));
            i++;
          } else {
            throw new MathException("unexpected character '" + c + "' at position " + (i + 1));
          }
        }
      }
    }

    Token peek() {
      return at < tokens.size() ? tokens.get(at) : null;
    }

    boolean acceptOp(String... ops) {
      Token t = peek();
      if (t != null && (t.kind.equals("op") || t.kind.equals("word")) && Arrays.asList(ops).contains(t.text)) {
        at++;
        return true;
      }
      return false;
    }

    void expectOp(String op) throws MathException {
      Token t = peek();
      if (t == null || !t.kind.equals("op") || !t.text.equals(op)) {
        throw new MathException("expected '" + op + "' " + (t == null ? "at the end" : "at position " + (t.pos + 1)));
      }
      at++;
    }

    Node expression() throws MathException {
      Node left = and();
      while (acceptOp("||", "OR")) {
        left = new Binary("||", left, and());
      }
      return left;
    }

    Node and() throws MathException {
      Node left = not();
      while (acceptOp("&&", "AND")) {
        left = new Binary("&&", left, not());
      }
      return left;
    }

    Node not() throws MathException {
      if (acceptOp("!", "NOT")) {
        return new Unary("!", not());
      }
      return comparison();
    }

    Node comparison() throws MathException {
      Node left = additive();
      Token t = peek();
      if (t != null && t.kind.equals("op") && Set.of(">", "<", ">=", "<=", "==", "!=").contains(t.text)) {
        at++;
        return new Binary(t.text, left, additive());
      }
      return left;
    }

    Node additive() throws MathException {
      Node left = multiplicative();
      while (true) {
        Token t = peek();
        if (t != null && t.kind.equals("op") && (t.text.equals("+") || t.text.equals("-"))) {
          at++;
          left = new Binary(t.text, left, multiplicative());
        } else {
          return left;
        }
      }
    }

    Node multiplicative() throws MathException {
      Node left = power();
      while (true) {
        Token t = peek();
        if (t != null && t.kind.equals("op") && (t.text.equals("*") || t.text.equals("/"))) {
          at++;
          left = new Binary(t.text, left, power());
        } else {
          return left;
        }
      }
    }

    Node power() throws MathException {
      Node base = unary();
      if (acceptOp("^")) {
        return new Binary("^", base, power());
      }
      return base;
    }

    Node unary() throws MathException {
      if (acceptOp("-")) {
        return new Unary("-", unary());
      }
      if (acceptOp("+")) {
        return unary();
      }
      return primary();
    }

    Node primary() throws MathException {
      Token t = peek();
      if (t == null) {
        throw new MathException("the expression ends too early");
      }
      at++;
      switch (t.kind) {
        case "num" -> {
          try {
            return new Num(Double.parseDouble(t.text));
          } catch (NumberFormatException e) {
            throw new MathException("invalid number '" + t.text + "' at position " + (t.pos + 1));
          }
        }
        case "str" -> {
          return new Str(t.text);
        }
        case "word" -> {
          Token next = peek();
          if (next != null && next.kind.equals("op") && next.text.equals("(")) {
            at++;
            List<Node> args = new ArrayList<>();
            if (!acceptOp(")")) {
              do {
                args.add(expression());
              } while (acceptOp(","));
              expectOp(")");
            }
            return new Call(t.text, args);
          }
          if (t.text.equals("REPEAT") || t.text.equals("LINEAR")) {
            return new Keyword(t.text);
          }
          if (Character.isLowerCase(t.text.charAt(0))) {
            return new Ref(t.text);
          }
          throw new MathException("unknown name '" + t.text + "' at position " + (t.pos + 1));
        }
        default -> {
          if (t.text.equals("(")) {
            Node inner = expression();
            expectOp(")");
            return inner;
          }
          if (t.text.equals("[")) {
            List<Node> items = new ArrayList<>();
            do {
              items.add(expression());
            } while (acceptOp(","));
            expectOp("]");
            return new ArrayLit(items);
          }
          throw new MathException("unexpected '" + t.text + "' at position " + (t.pos + 1));
        }
      }
    }
  }

  // ------------------------------------------------------------------ checking

  /** Every id the expression refers to. */
  public static List<String> references(Node node) {
    List<String> ids = new ArrayList<>();
    collect(node, ids);
    return ids;
  }

  private static void collect(Node node, List<String> ids) {
    switch (node) {
      case Ref r -> ids.add(r.id());
      case Call c -> c.args().forEach(a -> collect(a, ids));
      case Unary u -> collect(u.operand(), ids);
      case Binary b -> {
        collect(b.left(), ids);
        collect(b.right(), ids);
      }
      case ArrayLit a -> a.items().forEach(i -> collect(i, ids));
      default -> {
        // literals refer to nothing
      }
    }
  }

  /**
   * The type the expression produces, given the types of the ids it refers to; rejects unknown
   * functions and arguments a function does not take.
   */
  public static Type check(Node node, Function<String, Type> idTypes) throws MathException {
    switch (node) {
      case Num n -> {
        return Type.SCALAR;
      }
      case Str s -> throw new MathException("a string is only valid as the argument of METRICS");
      case Keyword k -> throw new MathException(k.word() + " is only valid as the second argument of FILL");
      case Ref r -> {
        Type t = idTypes.apply(r.id());
        if (t == null) {
          throw new MathException("unrecognized metric id '" + r.id() + "'");
        }
        return t;
      }
      case Unary u -> {
        return check(u.operand(), idTypes);
      }
      case Binary b -> {
        Type l = check(b.left(), idTypes);
        Type r = check(b.right(), idTypes);
        if (l == Type.ARRAY && r == Type.ARRAY) {
          throw new MathException("operator " + b.op() + " cannot combine two arrays of time series");
        }
        return l == Type.ARRAY || r == Type.ARRAY ? Type.ARRAY
            : l == Type.SERIES || r == Type.SERIES ? Type.SERIES : Type.SCALAR;
      }
      case ArrayLit a -> {
        for (Node item : a.items()) {
          if (check(item, idTypes) != Type.SERIES) {
            throw new MathException("an array may only contain time series");
          }
        }
        return Type.ARRAY;
      }
      case Call c -> {
        return checkCall(c, idTypes);
      }
    }
  }

  private static Type checkCall(Call c, Function<String, Type> idTypes) throws MathException {
    String fn = c.function();
    if (!FUNCTIONS.contains(fn)) {
      throw new MathException("unsupported function '" + fn + "'");
    }
    List<Node> args = c.args();
    switch (fn) {
      case "IF" -> {
        arity(c, 2, 3);
        Type result = Type.SCALAR;
        for (Node a : args) {
          Type t = check(a, idTypes);
          if (t == Type.ARRAY) {
            throw new MathException("IF does not take arrays");
          }
          if (t == Type.SERIES) {
            result = Type.SERIES;
          }
        }
        return result;
      }
      case "FILL" -> {
        arity(c, 2, 2);
        Type t = check(args.get(0), idTypes);
        if (t == Type.SCALAR) {
          throw new MathException("the first argument of FILL must be a time series or an array");
        }
        if (!(args.get(1) instanceof Keyword) && check(args.get(1), idTypes) != Type.SCALAR) {
          throw new MathException("the second argument of FILL must be a number, REPEAT or LINEAR");
        }
        return t;
      }
      case "SUM", "AVG", "MIN", "MAX" -> {
        arity(c, 1, 1);
        Type t = check(args.get(0), idTypes);
        if (t == Type.SCALAR) {
          throw new MathException(fn + " takes a time series or an array of time series");
        }
        return t == Type.ARRAY ? Type.SERIES : Type.SCALAR;
      }
      case "ABS", "CEIL", "FLOOR" -> {
        arity(c, 1, 1);
        return check(args.get(0), idTypes);
      }
      case "PERIOD" -> {
        arity(c, 1, 1);
        if (check(args.get(0), idTypes) != Type.SERIES) {
          throw new MathException("PERIOD takes a time series");
        }
        return Type.SCALAR;
      }
      case "TIME_SERIES" -> {
        arity(c, 1, 1);
        if (check(args.get(0), idTypes) != Type.SCALAR) {
          throw new MathException("TIME_SERIES takes a number");
        }
        return Type.SERIES;
      }
      case "METRICS" -> {
        arity(c, 0, 1);
        if (args.size() == 1 && !(args.get(0) instanceof Str)) {
          throw new MathException("METRICS takes an optional string");
        }
        return Type.ARRAY;
      }
      default -> throw new MathException("unsupported function '" + fn + "'");
    }
  }

  private static void arity(Call c, int min, int max) throws MathException {
    int n = c.args().size();
    if (n < min || n > max) {
      throw new MathException(c.function() + " takes " + (min == max ? String.valueOf(min) : min + " to " + max)
          + " argument" + (max == 1 ? "" : "s") + ", got " + n);
    }
  }

  // ------------------------------------------------------------------ evaluation

  /** Evaluates a checked expression. */
  public static Value evaluate(Node node, Context ctx) {
    return switch (node) {
      case Num n -> new Scalar(n.value());
      case Ref r -> ctx.resolve(r.id());
      case Unary u -> {
        Value v = evaluate(u.operand(), ctx);
        yield u.op().equals("-") ? map(v, x -> -x) : map(v, x -> x == 0 ? 1 : 0);
      }
      case Binary b -> binary(b.op(), evaluate(b.left(), ctx), evaluate(b.right(), ctx));
      case ArrayLit a -> {
        List<Series> items = new ArrayList<>();
        for (Node item : a.items()) {
          items.add(((SeriesValue) evaluate(item, ctx)).series());
        }
        yield new ArrayValue(items);
      }
      case Call c -> call(c, ctx);
      case Str s -> throw new IllegalStateException("unchecked expression: string outside METRICS");
      case Keyword k -> throw new IllegalStateException("unchecked expression: " + k.word() + " outside FILL");
    };
  }

  private static Value call(Call c, Context ctx) {
    List<Node> args = c.args();
    return switch (c.function()) {
      case "IF" -> ifFunction(evaluate(args.get(0), ctx), evaluate(args.get(1), ctx),
          args.size() == 3 ? evaluate(args.get(2), ctx) : null);
      case "FILL" -> fill(evaluate(args.get(0), ctx), args.get(1), ctx);
      case "SUM", "AVG", "MIN", "MAX" -> aggregate(c.function(), evaluate(args.get(0), ctx));
      case "ABS" -> map(evaluate(args.get(0), ctx), Math::abs);
      case "CEIL" -> map(evaluate(args.get(0), ctx), Math::ceil);
      case "FLOOR" -> map(evaluate(args.get(0), ctx), Math::floor);
      case "PERIOD" -> new Scalar(ctx.period());
      case "TIME_SERIES" -> {
        double v = ((Scalar) evaluate(args.get(0), ctx)).value();
        long[] grid = ctx.grid();
        double[] values = new double[grid.length];
        Arrays.fill(values, v);
        yield new SeriesValue(new Series("TIME_SERIES", grid.clone(), values));
      }
      case "METRICS" -> new ArrayValue(ctx.metrics(args.isEmpty() ? null : ((Str) args.get(0)).text()));
      default -> throw new IllegalStateException("unchecked expression: function " + c.function());
    };
  }

  private static Value map(Value v, DoubleUnaryOperator f) {
    return switch (v) {
      case Scalar s -> new Scalar(f.applyAsDouble(s.value()));
      case SeriesValue s -> new SeriesValue(mapSeries(s.series(), f));
      case ArrayValue a -> new ArrayValue(a.series().stream().map(s -> mapSeries(s, f)).toList());
    };
  }

  private static Series mapSeries(Series s, DoubleUnaryOperator f) {
    long[] t = new long[s.size()];
    double[] v = new double[s.size()];
    int n = 0;
    for (int i = 0; i < s.size(); i++) {
      double r = f.applyAsDouble(s.values()[i]);
      if (Double.isFinite(r)) {
        t[n] = s.times()[i];
        v[n++] = r;
      }
    }
    return new Series(s.label(), Arrays.copyOf(t, n), Arrays.copyOf(v, n));
  }

  private static DoubleBinaryOperator operator(String op) {
    return switch (op) {
      case "+" -> Double::sum;
      case "-" -> (a, b) -> a - b;
      case "*" -> (a, b) -> a * b;
      case "/" -> (a, b) -> a / b;
      case "^" -> Math::pow;
      case ">" -> (a, b) -> a > b ? 1 : 0;
      case "<" -> (a, b) -> a < b ? 1 : 0;
      case ">=" -> (a, b) -> a >= b ? 1 : 0;
      case "<=" -> (a, b) -> a <= b ? 1 : 0;
      case "==" -> (a, b) -> a == b ? 1 : 0;
      case "!=" -> (a, b) -> a != b ? 1 : 0;
      case "&&" -> (a, b) -> a != 0 && b != 0 ? 1 : 0;
      case "||" -> (a, b) -> a != 0 || b != 0 ? 1 : 0;
      default -> throw new IllegalStateException("operator " + op);
    };
  }

  static Value binary(String op, Value left, Value right) {
    DoubleBinaryOperator f = operator(op);
    if (left instanceof ArrayValue a) {
      return new ArrayValue(a.series().stream().map(s -> ((SeriesValue) binary(op, new SeriesValue(s), right)).series()).toList());
    }
    if (right instanceof ArrayValue a) {
      return new ArrayValue(a.series().stream().map(s -> ((SeriesValue) binary(op, left, new SeriesValue(s))).series()).toList());
    }
    if (left instanceof Scalar l && right instanceof Scalar r) {
      return new Scalar(f.applyAsDouble(l.value(), r.value()));
    }
    if (left instanceof SeriesValue l && right instanceof Scalar r) {
      return new SeriesValue(mapSeries(l.series(), x -> f.applyAsDouble(x, r.value())));
    }
    if (left instanceof Scalar l && right instanceof SeriesValue r) {
      return new SeriesValue(mapSeries(r.series(), x -> f.applyAsDouble(l.value(), x)));
    }
    Series a = ((SeriesValue) left).series();
    Series b = ((SeriesValue) right).series();
    long[] t = new long[Math.min(a.size(), b.size())];
    double[] v = new double[t.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.size() && j < b.size()) {
      long ta = a.times()[i];
      long tb = b.times()[j];
      if (ta < tb) {
        i++;
      } else if (tb < ta) {
        j++;
      } else {
        double r = f.applyAsDouble(a.values()[i], b.values()[j]);
        if (Double.isFinite(r)) {
          t[n] = ta;
          v[n++] = r;
        }
        i++;
        j++;
      }
    }
    return new SeriesValue(new Series(a.label(), Arrays.copyOf(t, n), Arrays.copyOf(v, n)));
  }

  private static Value ifFunction(Value cond, Value then, Value otherwise) {
    if (cond instanceof Scalar c) {
      Value chosen = c.value() != 0 ? then : otherwise;
      return chosen == null ? new SeriesValue(new Series("IF", new long[0], new double[0])) : chosen;
    }
    Series cs = ((SeriesValue) cond).series();
    long[] t = new long[cs.size()];
    double[] v = new double[cs.size()];
    int n = 0;
    for (int i = 0; i < cs.size(); i++) {
      Value branch = cs.values()[i] != 0 ? then : otherwise;
      double value = valueAt(branch, cs.times()[i]);
      if (Double.isFinite(value)) {
        t[n] = cs.times()[i];
        v[n++] = value;
      }
    }
    return new SeriesValue(new Series(cs.label(), Arrays.copyOf(t, n), Arrays.copyOf(v, n)));
  }

  private static double valueAt(Value v, long time) {
    if (v == null) {
      return Double.NaN;
    }
    if (v instanceof Scalar s) {
      return s.value();
    }
    Series s = ((SeriesValue) v).series();
    int i = s.indexOf(time);
    return i >= 0 ? s.values()[i] : Double.NaN;
  }

  private static Value fill(Value target, Node how, MetricMath.Context ctx) {
    String mode;
    double constant = Double.NaN;
    if (how instanceof Keyword k) {
      mode = k.word();
    } else {
      mode = "VALUE";
      constant = ((Scalar) evaluate(how, ctx)).value();
    }
    long[] grid = ctx.grid();
    if (target instanceof ArrayValue a) {
      final double c = constant;
      return new ArrayValue(a.series().stream().map(s -> fillSeries(s, grid, mode, c)).toList());
    }
    return new SeriesValue(fillSeries(((SeriesValue) target).series(), grid, mode, constant));
  }

  private static Series fillSeries(Series s, long[] grid, String mode, double constant) {
    long[] all = mergeTimes(s.times(), grid);
    double[] v = new double[all.length];
    boolean[] known = new boolean[all.length];
    for (int i = 0; i < all.length; i++) {
      int idx = s.indexOf(all[i]);
      if (idx >= 0) {
        v[i] = s.values()[idx];
        known[i] = true;
      }
    }
    int n = 0;
    long[] outT = new long[all.length];
    double[] outV = new double[all.length];
    for (int i = 0; i < all.length; i++) {
      double value;
      if (known[i]) {
        value = v[i];
      } else if (mode.equals("VALUE")) {
        value = constant;
      } else {
        int before = i - 1;
        while (before >= 0 && !known[before]) {
          before--;
        }
        if (mode.equals("REPEAT")) {
          value = before >= 0 ? v[before] : Double.NaN;
        } else {
          int after = i + 1;
          while (after < all.length && !known[after]) {
            after++;
          }
          if (before < 0 || after >= all.length) {
            value = Double.NaN;
          } else {
            double fraction = (double) (all[i] - all[before]) / (all[after] - all[before]);
            value = v[before] + fraction * (v[after] - v[before]);
          }
        }
      }
      if (Double.isFinite(value)) {
        outT[n] = all[i];
        outV[n++] = value;
      }
    }
    return new Series(s.label(), Arrays.copyOf(outT, n), Arrays.copyOf(outV, n));
  }

  private static long[] mergeTimes(long[] a, long[] b) {
    long[] all = new long[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return Arrays.stream(all).sorted().distinct().toArray();
  }

  private static Value aggregate(String fn, Value input) {
    if (input instanceof SeriesValue sv) {
      double[] values = sv.series().values();
      if (values.length == 0) {
        return new Scalar(Double.NaN);
      }
      return new Scalar(combine(fn, values, values.length));
    }
    List<Series> items = ((ArrayValue) input).series();
    long[] times = items.stream().map(Series::times).reduce(new long[0], MetricMath::mergeTimes);
    long[] t = new long[times.length];
    double[] v = new double[times.length];
    double[] buffer = new double[items.size()];
    int n = 0;
    for (long time : times) {
      int present = 0;
      for (Series s : items) {
        int i = s.indexOf(time);
        if (i >= 0) {
          buffer[present++] = s.values()[i];
        }
      }
      if (present > 0) {
        t[n] = time;
        v[n++] = combine(fn, buffer, present);
      }
    }
    return new SeriesValue(new Series(fn.toLowerCase(Locale.ROOT), Arrays.copyOf(t, n), Arrays.copyOf(v, n)));
  }

  private static double combine(String fn, double[] values, int count) {
    double result = switch (fn) {
      case "MIN" -> Double.POSITIVE_INFINITY;
      case "MAX" -> Double.NEGATIVE_INFINITY;
      default -> 0;
    };
    for (int i = 0; i < count; i++) {
      result = switch (fn) {
        case "MIN" -> Math.min(result, values[i]);
        case "MAX" -> Math.max(result, values[i]);
        default -> result + values[i];
      };
    }
    return fn.equals("AVG") ? result / count : result;
  }
}
