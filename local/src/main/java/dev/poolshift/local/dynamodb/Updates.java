package dev.poolshift.local.dynamodb;

import dev.poolshift.local.dynamodb.AttrValue.BS;
import dev.poolshift.local.dynamodb.AttrValue.L;
import dev.poolshift.local.dynamodb.AttrValue.M;
import dev.poolshift.local.dynamodb.AttrValue.N;
import dev.poolshift.local.dynamodb.AttrValue.NS;
import dev.poolshift.local.dynamodb.AttrValue.SS;
import dev.poolshift.local.dynamodb.Expr.AddAction;
import dev.poolshift.local.dynamodb.Expr.ArithmeticOperand;
import dev.poolshift.local.dynamodb.Expr.DeleteAction;
import dev.poolshift.local.dynamodb.Expr.DocPath;
import dev.poolshift.local.dynamodb.Expr.FunctionOperand;
import dev.poolshift.local.dynamodb.Expr.Operand;
import dev.poolshift.local.dynamodb.Expr.PathOperand;
import dev.poolshift.local.dynamodb.Expr.RemoveAction;
import dev.poolshift.local.dynamodb.Expr.SetAction;
import dev.poolshift.local.dynamodb.Expr.Update;
import dev.poolshift.local.dynamodb.Expr.UpdateAction;
import dev.poolshift.local.dynamodb.Expr.ValueOperand;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies an update expression to an item, as the Developer Guide's "Update expressions" page
 * describes: every value is computed from the item as it was before the update, SETs to list
 * positions past the end append in index order, REMOVEs of list elements refer to the original
 * positions (the list closes up afterwards), ADD adds numbers and unites sets, DELETE takes
 * elements out of a set and removes the attribute when the set would be empty.
 */
final class Updates {
  private static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";
  private static final String MISSING = "The provided expression refers to an attribute that does not exist in the item";
  private static final String WRONG_TYPE = "An operand in the update expression has an incorrect data type";

  private Updates() {}

  /** The item after the update; {@code item} itself is not changed. */
  static Map<String, AttrValue> apply(Update update, Map<String, AttrValue> item) {
    Map<String, AttrValue> before = item;
    List<Change> changes = new ArrayList<>();
    for (UpdateAction a : update.actions()) {
      switch (a) {
        case SetAction s -> changes.add(new Change(0, a.path(), evaluate(s.value(), before)));
        case RemoveAction r -> changes.add(new Change(1, r.path(), null));
        case AddAction add -> changes.add(new Change(2, add.path(), add.value().value()));
        case DeleteAction del -> changes.add(new Change(3, del.path(), del.value().value()));
      }
    }
    // SETs ascending (appends land in index order), REMOVEs descending (earlier removals do not
    // shift the positions of later ones); paths never overlap, so nothing else depends on order.
    changes.sort(Comparator.comparingInt(Change::section).thenComparing((x, y) ->
        x.section() == 1 ? comparePaths(y.path(), x.path()) : x.section() == 0 ? comparePaths(x.path(), y.path()) : 0));
    Map<String, AttrValue> out = new LinkedHashMap<>(item);
    for (Change c : changes) {
      switch (c.section()) {
        case 0 -> set(out, c.path(), c.value());
        case 1 -> remove(out, c.path());
        case 2 -> add(out, c.path(), c.value());
        default -> delete(out, c.path(), c.value());
      }
    }
    return out;
  }

  private record Change(int section, DocPath path, AttrValue value) {}

  private static int comparePaths(DocPath a, DocPath b) {
    for (int i = 0; i < Math.min(a.elements().size(), b.elements().size()); i++) {
      Object x = a.elements().get(i);
      Object y = b.elements().get(i);
      int c = x instanceof Integer xi && y instanceof Integer yi ? Integer.compare(xi, yi)
          : String.valueOf(x).compareTo(String.valueOf(y));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.elements().size(), b.elements().size());
  }

  // ------------------------------------------------------------------ values

  private static AttrValue evaluate(Operand o, Map<String, AttrValue> item) {
    return switch (Expr.unwrap(o)) {
      case ValueOperand v -> v.value();
      case PathOperand p -> {
        AttrValue v = Conditions.resolve(item, p.path());
        if (v == null) {
          throw DynamoDbException.validation(MISSING);
        }
        yield v;
      }
      case FunctionOperand f when f.name().equals("if_not_exists") -> {
        AttrValue v = Conditions.resolve(item, ((PathOperand) Expr.unwrap(f.args().getFirst())).path());
        yield v != null ? v : evaluate(f.args().get(1), item);
      }
      case FunctionOperand f -> {
        AttrValue a = evaluate(f.args().get(0), item);
        AttrValue b = evaluate(f.args().get(1), item);
        if (!(a instanceof L x) || !(b instanceof L y)) {
          throw DynamoDbException.validation(WRONG_TYPE);
        }
        List<AttrValue> joined = new ArrayList<>(x.value());
        joined.addAll(y.value());
        yield new L(joined);
      }
      case ArithmeticOperand a -> {
        AttrValue left = evaluate(a.left(), item);
        AttrValue right = evaluate(a.right(), item);
        if (!(left instanceof N x) || !(right instanceof N y)) {
          throw DynamoDbException.validation(WRONG_TYPE);
        }
        BigDecimal result = a.operator() == '+' ? x.value().add(y.value()) : x.value().subtract(y.value());
        AttributeJson.checkNumber(result);
        yield new N(result);
      }
      default -> throw new IllegalStateException("not an update operand: " + o);
    };
  }

  // ------------------------------------------------------------------ actions

  private static void set(Map<String, AttrValue> item, DocPath path, AttrValue value) {
    List<Object> steps = path.elements();
    if (steps.size() == 1) {
      item.put(path.head(), value);
      return;
    }
    AttrValue top = item.get(path.head());
    if (top == null) {
      throw DynamoDbException.validation(INVALID_PATH);
    }
    item.put(path.head(), setIn(top, steps.subList(1, steps.size()), value));
  }

  private static AttrValue setIn(AttrValue container, List<Object> steps, AttrValue value) {
    Object step = steps.getFirst();
    boolean last = steps.size() == 1;
    if (step instanceof Integer index && container instanceof L l) {
      List<AttrValue> list = new ArrayList<>(l.value());
      if (index < list.size()) {
        list.set(index, last ? value : setIn(list.get(index), steps.subList(1, steps.size()), value));
      } else if (last) {
        list.add(value);
      } else {
        throw DynamoDbException.validation(INVALID_PATH);
      }
      return new L(list);
    }
    if (step instanceof String name && container instanceof M m) {
      Map<String, AttrValue> map = new LinkedHashMap<>(m.value());
      if (last) {
        map.put(name, value);
      } else if (map.containsKey(name)) {
        map.put(name, setIn(map.get(name), steps.subList(1, steps.size()), value));
      } else {
        throw DynamoDbException.validation(INVALID_PATH);
      }
      return new M(map);
    }
    throw DynamoDbException.validation(INVALID_PATH);
  }

  /** REMOVE of something that is not there changes nothing. */
  private static void remove(Map<String, AttrValue> item, DocPath path) {
    List<Object> steps = path.elements();
    if (steps.size() == 1) {
      item.remove(path.head());
      return;
    }
    AttrValue top = item.get(path.head());
    if (top != null) {
      item.put(path.head(), removeIn(top, steps.subList(1, steps.size())));
    }
  }

  private static AttrValue removeIn(AttrValue container, List<Object> steps) {
    Object step = steps.getFirst();
    boolean last = steps.size() == 1;
    if (step instanceof Integer index && container instanceof L l) {
      if (index >= l.value().size()) {
        return l;
      }
      List<AttrValue> list = new ArrayList<>(l.value());
      if (last) {
        list.remove((int) index);
      } else {
        list.set(index, removeIn(list.get(index), steps.subList(1, steps.size())));
      }
      return new L(list);
    }
    if (step instanceof String name && container instanceof M m) {
      if (!m.value().containsKey(name)) {
        return m;
      }
      Map<String, AttrValue> map = new LinkedHashMap<>(m.value());
      if (last) {
        map.remove(name);
      } else {
        map.put(name, removeIn(map.get(name), steps.subList(1, steps.size())));
      }
      return new M(map);
    }
    throw DynamoDbException.validation(INVALID_PATH);
  }

  private static void add(Map<String, AttrValue> item, DocPath path, AttrValue value) {
    AttrValue current = Conditions.resolve(item, path);
    if (current == null) {
      set(item, path, value);
      return;
    }
    AttrValue sum = switch (current) {
      case N n when value instanceof N v -> {
        BigDecimal result = n.value().add(v.value());
        AttributeJson.checkNumber(result);
        yield new N(result);
      }
      case SS s when value instanceof SS v -> new SS(union(s.value(), v.value()));
      case NS s when value instanceof NS v -> new NS(union(s.value(), v.value()));
      case BS s when value instanceof BS v -> new BS(union(s.value(), v.value()));
      default -> throw DynamoDbException.validation(WRONG_TYPE);
    };
    set(item, path, sum);
  }

  private static void delete(Map<String, AttrValue> item, DocPath path, AttrValue value) {
    AttrValue current = Conditions.resolve(item, path);
    if (current == null) {
      return;
    }
    Set<?> left = switch (current) {
      case SS s when value instanceof SS v -> minus(s.value(), v.value());
      case NS s when value instanceof NS v -> minus(s.value(), v.value());
      case BS s when value instanceof BS v -> minus(s.value(), v.value());
      default -> throw DynamoDbException.validation(WRONG_TYPE);
    };
    if (left.isEmpty()) {
      remove(item, path);
      return;
    }
    @SuppressWarnings("unchecked")
    AttrValue rest = switch (current) {
      case SS ignored -> new SS((Set<String>) left);
      case NS ignored -> new NS((Set<BigDecimal>) left);
      default -> new BS((Set<AttrValue.Bytes>) left);
    };
    set(item, path, rest);
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }

  private static <T> Set<T> minus(Set<T> a, Set<T> b) {
    Set<T> out = new LinkedHashSet<>(a);
    out.removeAll(b);
    return out;
  }
}
