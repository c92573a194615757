package dev.poolshift.local.dynamodb;

import java.util.List;
import java.util.stream.Collectors;

/** The parsed forms of DynamoDB's expressions (condition, filter, key condition, update, projection). */
final class Expr {
  private Expr() {}

  /**
   * A document path: attribute names (already resolved from {@code #placeholders}) and list
   * indexes, {@code a.b[2].c} is {@code [a, b, 2, c]}.
   */
  record DocPath(List<Object> elements) {
    DocPath {
      elements = List.copyOf(elements);
    }

    String head() {
      return (String) elements.getFirst();
    }

    boolean nested() {
      return elements.size() > 1;
    }

    /** As DynamoDB prints paths in messages: {@code [a, b, [2], c]}. */
    String describe() {
      return elements.stream().map(e -> e instanceof Integer i ? "[" + i + "]" : (String) e)
          .collect(Collectors.joining(", ", "[", "]"));
    }
  }

  // ------------------------------------------------------------------ operands

  sealed interface Operand permits PathOperand, ValueOperand, FunctionOperand, ParenOperand, ArithmeticOperand {}

  record PathOperand(DocPath path) implements Operand {}

  /** An {@code :placeholder}; {@code value} is null when the placeholder is not defined. */
  record ValueOperand(String name, AttrValue value) implements Operand {}

  record FunctionOperand(String name, List<Operand> args) implements Operand {}

  /** An operand in parentheses, kept so that redundant parentheses can be reported. */
  record ParenOperand(Operand inner) implements Operand {}

  /** {@code a + b} or {@code a - b} in an update's SET. */
  record ArithmeticOperand(char operator, Operand left, Operand right) implements Operand {}

  static Operand unwrap(Operand o) {
    return o instanceof ParenOperand p ? unwrap(p.inner()) : o;
  }

  // ------------------------------------------------------------------ conditions

  sealed interface Condition permits Comparison, Between, In, FunctionCondition, And, Or, Not, ParenCondition {}

  /** {@code =}, {@code <>}, {@code <}, {@code <=}, {@code >}, {@code >=}. */
  record Comparison(String operator, Operand left, Operand right) implements Condition {}

  record Between(Operand value, Operand low, Operand high) implements Condition {}

  record In(Operand value, List<Operand> candidates) implements Condition {}

  /** A function used as a condition: {@code attribute_exists(a)}, {@code begins_with(a, :p)}, ... */
  record FunctionCondition(FunctionOperand function) implements Condition {}

  record And(Condition left, Condition right) implements Condition {}

  record Or(Condition left, Condition right) implements Condition {}

  record Not(Condition inner) implements Condition {}

  record ParenCondition(Condition inner) implements Condition {}

  static Condition unwrap(Condition c) {
    return c instanceof ParenCondition p ? unwrap(p.inner()) : c;
  }

  // ------------------------------------------------------------------ updates

  sealed interface UpdateAction permits SetAction, RemoveAction, AddAction, DeleteAction {
    DocPath path();
  }

  record SetAction(DocPath path, Operand value) implements UpdateAction {}

  record RemoveAction(DocPath path) implements UpdateAction {}

  record AddAction(DocPath path, ValueOperand value) implements UpdateAction {}

  record DeleteAction(DocPath path, ValueOperand value) implements UpdateAction {}

  record Update(List<UpdateAction> actions) {}
}
