package dev.poolshift.local.asl;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One JSONata expression (the text between {@code {%} and {@code %}}), parsed once when the
 * definition is loaded and evaluated many times.
 *
 * <p>dashjoin's engine keeps per-thread scratch state in a static thread-local that can point at
 * any parsed expression, and its public {@code evaluate} reads the expression's environment while
 * another thread may be using that same object as scratch space. Evaluations are short and pure, so
 * all of them (and all parsing) are serialized on one lock rather than trusting that.
 */
final class JsonataExpression {
  private static final ReentrantLock ENGINE = new ReentrantLock();
  /** Stack-depth bound: deep recursion is a {@code States.QueryEvaluationError}, not a crash. */
  private static final int MAX_DEPTH = 2_000;
  /** Wall-clock bound per evaluation: a runaway expression must not hang the simulation. */
  private static final long MAX_MILLIS = 10_000;

  private final String text;
  private final Jsonata compiled;
  private final Set<String> variables;
  private final Set<String> statesMembers;
  private final List<String> topLevelReferences;

  private JsonataExpression(String text, Jsonata compiled, Analysis analysis) {
    this.text = text;
    this.compiled = compiled;
    this.variables = Set.copyOf(analysis.variables);
    this.statesMembers = Set.copyOf(analysis.statesMembers);
    this.topLevelReferences = List.copyOf(analysis.topLevel);
  }

  /** Thrown when the text is not a JSONata expression. */
  static final class SyntaxException extends Exception {
    SyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  static JsonataExpression compile(String text) throws SyntaxException {
    ENGINE.lock();
    try {
      Jsonata parsed;
      try {
        parsed = Jsonata.jsonata(text);
      } catch (JException e) {
        throw new SyntaxException(e.getMessage());
      } catch (RuntimeException e) {
        throw new SyntaxException(String.valueOf(e.getMessage()));
      }
      if (parsed.getErrors() != null && !parsed.getErrors().isEmpty()) {
        throw new SyntaxException(parsed.getErrors().get(0).getMessage());
      }
      parsed.setOutputConvertNulls(false);
      // Input validation walks every bound value on every call; our values come from Jackson.
      parsed.setValidateInput(false);
      AwsFunctions.register(parsed);
      Analysis analysis = new Analysis();
      analysis.walk(astOf(parsed), true);
      return new JsonataExpression(text, parsed, analysis);
    } finally {
      ENGINE.unlock();
    }
  }

  String text() {
    return text;
  }

  /** Names of the {@code $variables} the expression mentions (including {@code states}). */
  Set<String> variables() {
    return variables;
  }

  /** Members of {@code $states} the expression reads directly ({@code input}, {@code result}, ...). */
  Set<String> statesMembers() {
    return statesMembers;
  }

  /**
   * Top-level references to the input document ({@code $}, {@code $$}, bare field names), which
   * Step Functions rejects: there is no input document, only {@code $states} and variables.
   */
  List<String> topLevelReferences() {
    return topLevelReferences;
  }

  /**
   * Evaluates with the given variable bindings (JSONata values). Returns the raw result; Java null
   * means {@code undefined}.
   *
   * @throws RuntimeException (usually {@link JException}) when the expression throws
   */
  Object evaluate(Map<String, Object> bindings, long nowMillis) {
    ENGINE.lock();
    try {
      Jsonata.Frame frame = compiled.createFrame();
      for (Map.Entry<String, Object> e : bindings.entrySet()) {
        frame.bind(e.getKey(), e.getValue());
      }
      AwsFunctions.bindClock(frame, nowMillis);
      frame.setRuntimeBounds(MAX_MILLIS, MAX_DEPTH);
      return compiled.evaluate(null, frame);
    } finally {
      ENGINE.unlock();
    }
  }

  /** The message of an engine error as Step Functions prints it: {@code T1006: Attempted to ...}. */
  static String describe(Throwable e) {
    if (e instanceof JException j) {
      String code = j.getError();
      String message = j.getMessage();
      return code == null || code.isEmpty() || message.startsWith(code) ? message : code + ": " + message;
    }
    if (e instanceof AwsFunctions.FunctionException f) {
      return f.getMessage();
    }
    if (e instanceof StackOverflowError) {
      return "U1001: Stack overflow error: Check for non-terminating recursive function.";
    }
    if (e instanceof OutOfMemoryError) {
      return "U1002: Out of memory";
    }
    return String.valueOf(e.getMessage());
  }

  // ------------------------------------------------------------------ AST analysis

  private static final Map<String, Field> FIELDS = new HashMap<>();
  private static final Field AST;
  private static final Class<?> SYMBOL;

  static {
    try {
      AST = Jsonata.class.getDeclaredField("ast");
      AST.setAccessible(true);
      Class<?> symbol = Class.forName("com.dashjoin.jsonata.Parser$Symbol");
      SYMBOL = symbol;
      for (String name : List.of("type", "value", "steps", "stages", "predicate", "group", "lhs", "rhs",
          "lhsObject", "rhsObject", "arguments", "procedure", "body", "condition", "then", "_else",
          "expressions", "terms", "expression", "pattern", "update", "delete", "expr")) {
        Field f = symbol.getDeclaredField(name);
        f.setAccessible(true);
        FIELDS.put(name, f);
      }
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static Object astOf(Jsonata parsed) {
    try {
      return AST.get(parsed);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object get(Object symbol, String field) {
    try {
      return FIELDS.get(field).get(symbol);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Walks the parsed expression; {@code top} = evaluated against the (absent) input document. */
  private static final class Analysis {
    final Set<String> variables = new LinkedHashSet<>();
    final Set<String> statesMembers = new LinkedHashSet<>();
    final List<String> topLevel = new ArrayList<>();

    void walk(Object node, boolean top) {
      if (node == null) {
        return;
      }
      if (node instanceof Collection<?> list) {
        for (Object element : list) {
          walk(element, top);
        }
        return;
      }
      if (node instanceof Object[] pair) {
        for (Object element : pair) {
          walk(element, top);
        }
        return;
      }
      if (!SYMBOL.isInstance(node)) {
        return;
      }
      String type = (String) get(node, "type");
      Object value = get(node, "value");
      if (type == null) {
        type = "";
      }
      switch (type) {
        case "name", "wildcard", "descendant", "parent" -> {
          if (top) {
            topLevel.add(type.equals("name") ? String.valueOf(value) : type.equals("parent") ? "%" : String.valueOf(value));
          }
        }
        case "variable" -> {
          String name = String.valueOf(value);
          if (name.isEmpty() || name.equals("$")) {
            if (top) {
              topLevel.add("$" + name);
            }
          } else {
            variables.add(name);
          }
        }
        case "path" -> {
          List<?> steps = (List<?>) get(node, "steps");
          if (steps != null && !steps.isEmpty()) {
            Object first = steps.get(0);
            if ("variable".equals(get(first, "type")) && "states".equals(get(first, "value")) && steps.size() > 1
                && "name".equals(get(steps.get(1), "type"))) {
              statesMembers.add(String.valueOf(get(steps.get(1), "value")));
            }
            walk(first, top);
            for (int i = 1; i < steps.size(); i++) {
              walk(steps.get(i), false);
            }
          }
        }
        default -> {
          // operands, arguments, blocks, conditions, constructors: same context as the node
        }
      }
      if (!type.equals("path")) {
        for (String f : List.of("lhs", "rhs", "lhsObject", "rhsObject", "arguments", "procedure", "body",
            "condition", "then", "_else", "expressions", "expression")) {
          walk(get(node, f), top);
        }
      }
      // Filters, grouping, sort keys and transform clauses are evaluated per item, not at the top.
      for (String f : List.of("stages", "predicate", "group", "terms", "pattern", "update", "delete", "expr")) {
        walk(get(node, f), false);
      }
    }
  }
}
