package dev.poolshift.local.dynamodb;

import dev.poolshift.local.dynamodb.AttrValue.B;
import dev.poolshift.local.dynamodb.AttrValue.BS;
import dev.poolshift.local.dynamodb.AttrValue.L;
import dev.poolshift.local.dynamodb.AttrValue.M;
import dev.poolshift.local.dynamodb.AttrValue.N;
import dev.poolshift.local.dynamodb.AttrValue.NS;
import dev.poolshift.local.dynamodb.AttrValue.S;
import dev.poolshift.local.dynamodb.AttrValue.SS;
import dev.poolshift.local.dynamodb.Expr.And;
import dev.poolshift.local.dynamodb.Expr.Between;
import dev.poolshift.local.dynamodb.Expr.Comparison;
import dev.poolshift.local.dynamodb.Expr.Condition;
import dev.poolshift.local.dynamodb.Expr.DocPath;
import dev.poolshift.local.dynamodb.Expr.FunctionCondition;
import dev.poolshift.local.dynamodb.Expr.FunctionOperand;
import dev.poolshift.local.dynamodb.Expr.In;
import dev.poolshift.local.dynamodb.Expr.Not;
import dev.poolshift.local.dynamodb.Expr.Operand;
import dev.poolshift.local.dynamodb.Expr.Or;
import dev.poolshift.local.dynamodb.Expr.ParenCondition;
import dev.poolshift.local.dynamodb.Expr.PathOperand;
import dev.poolshift.local.dynamodb.Expr.ValueOperand;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates condition and filter expressions against an item, resolves document paths, and
 * projects items. Follows the comparison reference of the Developer Guide: a comparison with a
 * missing attribute or with a value of another type is false, except {@code <>}, which is then
 * true; sets compare as sets.
 */
final class Conditions {
  private Conditions() {}

  /** The value at {@code path}, or null when the item has nothing there. */
  static AttrValue resolve(Map<String, AttrValue> item, DocPath path) {
    AttrValue current = item.get(path.head());
    for (int i = 1; i < path.elements().size() && current != null; i++) {
      Object step = path.elements().get(i);
      if (step instanceof Integer index) {
        current = current instanceof L l && index < l.value().size() ? l.value().get(index) : null;
      } else {
        current = current instanceof M m ? m.value().get((String) step) : null;
      }
    }
    return current;
  }

  static boolean matches(Condition c, Map<String, AttrValue> item) {
    return switch (c) {
      case ParenCondition p -> matches(p.inner(), item);
      case And a -> matches(a.left(), item) && matches(a.right(), item);
      case Or o -> matches(o.left(), item) || matches(o.right(), item);
      case Not n -> !matches(n.inner(), item);
      case Comparison cmp -> compare(cmp.operator(), value(cmp.left(), item), value(cmp.right(), item));
      case Between b -> {
        AttrValue v = value(b.value(), item);
        AttrValue lo = value(b.low(), item);
        AttrValue hi = value(b.high(), item);
        yield v != null && lo != null && hi != null && AttrValue.comparable(v, lo) && AttrValue.comparable(v, hi)
            && AttrValue.compare(lo, v) <= 0 && AttrValue.compare(v, hi) <= 0;
      }
      case In in -> {
        AttrValue v = value(in.value(), item);
        yield v != null && in.candidates().stream().anyMatch(o -> v.equals(value(o, item)));
      }
      case FunctionCondition f -> function(f.function(), item);
    };
  }

  private static boolean compare(String operator, AttrValue a, AttrValue b) {
    if (operator.equals("=")) {
      return a != null && a.equals(b);
    }
    if (operator.equals("<>")) {
      return a == null || !a.equals(b);
    }
    if (a == null || b == null || !AttrValue.comparable(a, b)) {
      return false;
    }
    int c = AttrValue.compare(a, b);
    return switch (operator) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }

  private static boolean function(FunctionOperand f, Map<String, AttrValue> item) {
    List<Operand> args = f.args();
    AttrValue first = value(args.getFirst(), item);
    return switch (f.name()) {
      case "attribute_exists" -> first != null;
      case "attribute_not_exists" -> first == null;
      case "attribute_type" -> first != null && value(args.get(1), item) instanceof S t && first.type().equals(t.value());
      case "begins_with" -> {
        AttrValue prefix = value(args.get(1), item);
        if (first instanceof S s && prefix instanceof S p) {
          yield s.value().startsWith(p.value());
        }
        yield first instanceof B b && prefix instanceof B p && b.value().startsWith(p.value());
      }
      case "contains" -> contains(first, value(args.get(1), item));
      default -> throw new IllegalStateException("not a condition function: " + f.name());
    };
  }

  private static boolean contains(AttrValue container, AttrValue part) {
    if (container == null || part == null) {
      return false;
    }
    return switch (container) {
      case S s -> part instanceof S p && s.value().contains(p.value());
      case B b -> part instanceof B p && b.value().contains(p.value());
      case SS ss -> part instanceof S p && ss.value().contains(p.value());
      case NS ns -> part instanceof N p && ns.value().contains(p.value());
      case BS bs -> part instanceof B p && bs.value().contains(p.value());
      case L l -> l.value().contains(part);
      default -> false;
    };
  }

  /** An operand's value for this item: a path's value, a placeholder's value, or size(path). */
  static AttrValue value(Operand o, Map<String, AttrValue> item) {
    return switch (Expr.unwrap(o)) {
      case PathOperand p -> resolve(item, p.path());
      case ValueOperand v -> v.value();
      case FunctionOperand f when f.name().equals("size") -> size(value(f.args().getFirst(), item));
      default -> null;
    };
  }

  /** size(): characters of a string, bytes of a binary, elements of a set, list or map. */
  private static AttrValue size(AttrValue v) {
    Integer n = switch (v) {
      case null -> null;
      case S s -> s.value().length();
      case B b -> b.value().length();
      case SS s -> s.value().size();
      case NS s -> s.value().size();
      case BS s -> s.value().size();
      case L l -> l.value().size();
      case M m -> m.value().size();
      default -> null;
    };
    return n == null ? null : new N(BigDecimal.valueOf(n));
  }

  // ------------------------------------------------------------------ projection

  /**
   * The parts of {@code item} named by {@code paths}, nested as in the item. List elements keep
   * their order but not their positions: projecting {@code a[2]} gives a one-element list.
   */
  static Map<String, AttrValue> project(Map<String, AttrValue> item, List<DocPath> paths) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (DocPath path : paths) {
      AttrValue v = resolve(item, path);
      if (v == null) {
        continue;
      }
      Object node = root;
      List<Object> steps = path.elements();
      for (int i = 0; i < steps.size() - 1; i++) {
        Object container = steps.get(i + 1) instanceof Integer ? new TreeMap<Integer, Object>()
            : new LinkedHashMap<String, Object>();
        node = child(node, steps.get(i), container);
      }
      put(node, steps.getLast(), v);
    }
    Map<String, AttrValue> out = new LinkedHashMap<>();
    root.forEach((k, v) -> out.put(k, build(v)));
    return out;
  }

  /** The container under {@code step}, created as {@code fresh} the first time. */
  @SuppressWarnings("unchecked")
  private static Object child(Object node, Object step, Object fresh) {
    if (step instanceof Integer index) {
      return ((TreeMap<Integer, Object>) node).computeIfAbsent(index, k -> fresh);
    }
    return ((Map<String, Object>) node).computeIfAbsent((String) step, k -> fresh);
  }

  @SuppressWarnings("unchecked")
  private static void put(Object node, Object step, AttrValue value) {
    if (step instanceof Integer index) {
      ((TreeMap<Integer, Object>) node).put(index, value);
    } else {
      ((Map<String, Object>) node).put((String) step, value);
    }
  }

  @SuppressWarnings("unchecked")
  private static AttrValue build(Object node) {
    if (node instanceof AttrValue v) {
      return v;
    }
    if (node instanceof TreeMap<?, ?> list) {
      List<AttrValue> out = new ArrayList<>();
      ((TreeMap<Integer, Object>) list).values().forEach(e -> out.add(build(e)));
      return new L(out);
    }
    Map<String, AttrValue> out = new LinkedHashMap<>();
    ((Map<String, Object>) node).forEach((k, v) -> out.put(k, build(v)));
    return new M(out);
  }
}
