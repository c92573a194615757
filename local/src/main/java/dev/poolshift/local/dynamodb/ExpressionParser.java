package dev.poolshift.local.dynamodb;

import dev.poolshift.local.dynamodb.Expr.AddAction;
import dev.poolshift.local.dynamodb.Expr.And;
import dev.poolshift.local.dynamodb.Expr.ArithmeticOperand;
import dev.poolshift.local.dynamodb.Expr.Between;
import dev.poolshift.local.dynamodb.Expr.Comparison;
import dev.poolshift.local.dynamodb.Expr.Condition;
import dev.poolshift.local.dynamodb.Expr.DeleteAction;
import dev.poolshift.local.dynamodb.Expr.DocPath;
import dev.poolshift.local.dynamodb.Expr.FunctionCondition;
import dev.poolshift.local.dynamodb.Expr.FunctionOperand;
import dev.poolshift.local.dynamodb.Expr.In;
import dev.poolshift.local.dynamodb.Expr.Not;
import dev.poolshift.local.dynamodb.Expr.Operand;
import dev.poolshift.local.dynamodb.Expr.Or;
import dev.poolshift.local.dynamodb.Expr.ParenCondition;
import dev.poolshift.local.dynamodb.Expr.ParenOperand;
import dev.poolshift.local.dynamodb.Expr.PathOperand;
import dev.poolshift.local.dynamodb.Expr.RemoveAction;
import dev.poolshift.local.dynamodb.Expr.SetAction;
import dev.poolshift.local.dynamodb.Expr.Update;
import dev.poolshift.local.dynamodb.Expr.UpdateAction;
import dev.poolshift.local.dynamodb.Expr.ValueOperand;
import dev.poolshift.local.dynamodb.ExpressionLexer.Kind;
import dev.poolshift.local.dynamodb.ExpressionLexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hand-written recursive-descent parser for DynamoDB's expression grammar (Developer Guide,
 * "Condition and filter expressions, operators, and functions" and "Update expressions").
 *
 * <p>Errors follow DynamoDB: a syntax error stops parsing ({@code Syntax error; token: "x", near:
 * "a x b"}); the semantic problems (reserved words, undefined placeholders, unknown functions,
 * operand types, overlapping paths) are collected while parsing and the one DynamoDB would report
 * first is raised, each message prefixed with {@code Invalid <Kind>Expression: }.
 */
final class ExpressionParser {
  /** Condition functions and their operand counts. */
  private static final Map<String, Integer> CONDITION_FUNCTIONS = Map.of("attribute_exists", 1,
      "attribute_not_exists", 1, "attribute_type", 2, "begins_with", 2, "contains", 2, "size", 1);
  /** Update functions and their operand counts. */
  private static final Map<String, Integer> UPDATE_FUNCTIONS = Map.of("if_not_exists", 2, "list_append", 2);
  private static final Set<String> ATTRIBUTE_TYPES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");
  /** The most values {@code IN} takes, as the Developer Guide documents. */
  private static final int MAX_IN_OPERANDS = 100;
  private static final Set<String> CONDITION_KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN");
  private static final Set<String> SECTIONS = Set.of("SET", "REMOVE", "ADD", "DELETE");
  /** ADD works on numbers and sets only. */
  private static final Set<String> ADDABLE = Set.of("N", "SS", "NS", "BS");

  private final String kind;
  private final String source;
  private final List<Token> tokens;
  private final ExpressionContext context;
  private final Problems problems = new Problems();
  private int pos;

  private ExpressionParser(String kind, String source, ExpressionContext context) {
    this.kind = kind;
    this.source = source;
    this.tokens = ExpressionLexer.tokens(source);
    this.context = context;
  }

  // ------------------------------------------------------------------ entry points

  /** A {@code ConditionExpression} or {@code FilterExpression} ({@code kind} names it in errors). */
  static Condition condition(String kind, String source, ExpressionContext context) {
    ExpressionParser p = start(kind, source, context);
    Condition c = p.syntax(p::wholeCondition);
    p.checkCondition(c);
    p.problems.raise(kind, "parens", "unknownFunction", "misusedFunction", "reserved", "attrNameVal", "operand",
        "distinct", "function");
    return c;
  }

  static Update update(String source, ExpressionContext context) {
    String kind = "UpdateExpression";
    ExpressionParser p = start(kind, source, context);
    Update u = p.parseUpdate();
    p.problems.raise(kind, "reserved", "unknownFunction", "section", "attrName", "attrVal", "pathOverlap",
        "pathConflict", "operand", "function");
    return u;
  }

  static List<DocPath> projection(String source, ExpressionContext context) {
    String kind = "ProjectionExpression";
    ExpressionParser p = start(kind, source, context);
    List<DocPath> paths = p.syntax(() -> {
      List<DocPath> list = new ArrayList<>();
      list.add(p.path());
      while (p.peek().kind() == Kind.COMMA) {
        p.next();
        list.add(p.path());
      }
      p.expect(Kind.EOF);
      return list;
    });
    p.checkOverlaps(paths);
    p.problems.raise(kind, "reserved", "attrName", "pathOverlap", "pathConflict");
    return paths;
  }

  /** One condition of a key condition expression: {@code attribute operator values}. */
  record KeyTerm(String attribute, String operator, List<AttrValue> values) {}

  /**
   * A {@code KeyConditionExpression}: parsed as a condition, then held to what a key condition may
   * be (conditions joined by AND, each on one top-level attribute against values).
   */
  static List<KeyTerm> keyCondition(String source, ExpressionContext context) {
    String kind = "KeyConditionExpression";
    ExpressionParser p = start(kind, source, context);
    Condition c = p.syntax(p::wholeCondition);
    p.checkCondition(c);
    p.problems.raise(kind, "parens", "unknownFunction", "misusedFunction", "reserved", "attrNameVal", "operand",
        "distinct", "function");
    Map<String, KeyTerm> terms = new LinkedHashMap<>();
    keyTerms(c, terms);
    return List.copyOf(terms.values());
  }

  private static ExpressionParser start(String kind, String source, ExpressionContext context) {
    if (source.isBlank()) {
      throw DynamoDbException.validation("Invalid " + kind + ": The expression can not be empty;");
    }
    return new ExpressionParser(kind, source, context);
  }

  // ------------------------------------------------------------------ tokens

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Kind.EOF) {
      pos++;
    }
    return t;
  }

  private Token expect(Kind k) {
    if (peek().kind() != k) {
      throw syntaxError();
    }
    return next();
  }

  private boolean atKeyword(String keyword) {
    return peek().isKeyword(keyword);
  }

  /** Thrown on a syntax error, with the position reached, so the parser can backtrack. */
  private static final class SyntaxError extends RuntimeException {
    final int at;

    SyntaxError(int at) {
      super(null, null, false, false);
      this.at = at;
    }
  }

  private SyntaxError syntaxError() {
    return new SyntaxError(pos);
  }

  /**
   * DynamoDB's syntax message names the offending token and quotes the source from the token
   * before it to the token after it.
   */
  private DynamoDbException syntaxMessage(int at) {
    Token bad = tokens.get(at);
    Token before = at > 0 ? tokens.get(at - 1) : bad;
    Token after = bad.kind() == Kind.EOF ? bad : tokens.get(at + 1);
    int from = before.start();
    int to = after.kind() == Kind.EOF ? (bad.kind() == Kind.EOF ? before.end() : bad.end()) : after.end();
    return DynamoDbException.validation("Invalid " + kind + ": Syntax error; token: \"" + bad.text() + "\", near: \""
        + source.substring(from, Math.max(from, to)) + "\"");
  }

  private <T> T syntax(java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (SyntaxError e) {
      throw syntaxMessage(e.at);
    }
  }

  // ------------------------------------------------------------------ conditions

  /** A whole condition expression: a condition and nothing after it. */
  private Condition wholeCondition() {
    Condition c = or();
    expect(Kind.EOF);
    return c;
  }

  private Condition or() {
    Condition left = and();
    while (atKeyword("OR")) {
      next();
      left = new Or(left, and());
    }
    return left;
  }

  private Condition and() {
    Condition left = not();
    while (atKeyword("AND")) {
      next();
      left = new And(left, not());
    }
    return left;
  }

  private Condition not() {
    if (atKeyword("NOT")) {
      next();
      return new Not(not());
    }
    return primary();
  }

  /**
   * A parenthesis opens either a condition ({@code (a = :v)}) or an operand ({@code (a) = :v}):
   * the condition is tried first, and kept unless a comparison follows it.
   */
  private Condition primary() {
    if (peek().kind() != Kind.LPAREN) {
      return comparison();
    }
    int mark = pos;
    SyntaxError first;
    try {
      next();
      Condition inner = or();
      expect(Kind.RPAREN);
      if (!atComparisonTail()) {
        return new ParenCondition(inner);
      }
      first = null;
    } catch (SyntaxError e) {
      first = e;
    }
    pos = mark;
    try {
      return comparison();
    } catch (SyntaxError e) {
      throw first != null && first.at > e.at ? first : e;
    }
  }

  private boolean atComparisonTail() {
    Kind k = peek().kind();
    return k == Kind.EQ || k == Kind.NE || k == Kind.LT || k == Kind.LE || k == Kind.GT || k == Kind.GE
        || atKeyword("BETWEEN") || atKeyword("IN");
  }

  private Condition comparison() {
    Operand left = operand(false);
    Token t = peek();
    switch (t.kind()) {
      case EQ, NE, LT, LE, GT, GE -> {
        next();
        return new Comparison(t.text(), left, operand(false));
      }
      default -> {
        // not a comparator
      }
    }
    if (atKeyword("BETWEEN")) {
      next();
      Operand low = operand(false);
      if (!atKeyword("AND")) {
        throw syntaxError();
      }
      next();
      return new Between(left, low, operand(false));
    }
    if (atKeyword("IN")) {
      next();
      expect(Kind.LPAREN);
      List<Operand> candidates = new ArrayList<>();
      candidates.add(operand(false));
      while (peek().kind() == Kind.COMMA) {
        next();
        candidates.add(operand(false));
      }
      expect(Kind.RPAREN);
      return new In(left, candidates);
    }
    if (Expr.unwrap(left) instanceof FunctionOperand f) {
      return new FunctionCondition(f);
    }
    throw syntaxError();
  }

  /**
   * An operand: a path, a {@code :value}, a function call, or one of those in parentheses; in an
   * update's SET ({@code update}) function arguments are update operands too.
   */
  private Operand operand(boolean update) {
    Token t = peek();
    if (t.kind() == Kind.LPAREN) {
      next();
      Operand inner = update ? setValue() : operand(false);
      expect(Kind.RPAREN);
      return new ParenOperand(inner);
    }
    if (t.kind() == Kind.VALUE_REF) {
      next();
      return valueRef(t);
    }
    if (t.kind() == Kind.NAME && peek(1).kind() == Kind.LPAREN) {
      if (!update && CONDITION_KEYWORDS.contains(t.text().toUpperCase(java.util.Locale.ROOT))) {
        throw syntaxError();
      }
      next();
      next();
      List<Operand> args = new ArrayList<>();
      args.add(operand(update));
      while (peek().kind() == Kind.COMMA) {
        next();
        args.add(operand(update));
      }
      expect(Kind.RPAREN);
      return new FunctionOperand(t.text(), args);
    }
    return new PathOperand(path());
  }

  private ValueOperand valueRef(Token t) {
    AttrValue v = context.value(t.text());
    if (v == null) {
      String message = "An expression attribute value used in expression is not defined; attribute value: " + t.text();
      problems.note("attrVal", message);
      problems.note("attrNameVal", message);
    }
    return new ValueOperand(t.text(), v);
  }

  // ------------------------------------------------------------------ paths

  private DocPath path() {
    List<Object> elements = new ArrayList<>();
    elements.add(pathName());
    while (true) {
      if (peek().kind() == Kind.DOT) {
        next();
        elements.add(pathName());
      } else if (peek().kind() == Kind.LBRACKET) {
        next();
        Token index = expect(Kind.INTEGER);
        int i;
        try {
          i = Integer.parseInt(index.text());
        } catch (NumberFormatException e) {
          throw new SyntaxError(pos - 1);
        }
        expect(Kind.RBRACKET);
        elements.add(i);
      } else {
        return new DocPath(elements);
      }
    }
  }

  private String pathName() {
    Token t = peek();
    if (t.kind() == Kind.NAME_REF) {
      next();
      String name = context.name(t.text());
      if (name == null) {
        String message = "An expression attribute name used in the document path is not defined; attribute name: "
            + t.text();
        problems.note("attrName", message);
        problems.note("attrNameVal", message);
        return t.text();
      }
      return name;
    }
    if (t.kind() == Kind.NAME && !CONDITION_KEYWORDS.contains(t.text().toUpperCase(java.util.Locale.ROOT))) {
      next();
      if (ExpressionContext.reserved(t.text())) {
        problems.note("reserved", "Attribute name is a reserved keyword; reserved keyword: " + t.text());
      }
      return t.text();
    }
    throw syntaxError();
  }

  // ------------------------------------------------------------------ condition checks

  /**
   * The checks DynamoDB makes once a condition parses: known functions used where they can be
   * (size only as an operand, the others only as conditions), operand counts and types, distinct
   * operands, redundant parentheses, BETWEEN bounds.
   */
  private void checkCondition(Condition c) {
    switch (c) {
      case ParenCondition p -> {
        if (p.inner() instanceof ParenCondition) {
          problems.note("parens", "The expression has redundant parentheses;");
        }
        checkCondition(p.inner());
      }
      case And a -> {
        checkCondition(a.left());
        checkCondition(a.right());
      }
      case Or o -> {
        checkCondition(o.left());
        checkCondition(o.right());
      }
      case Not n -> checkCondition(n.inner());
      case Comparison cmp -> {
        checkOperands(List.of(cmp.left(), cmp.right()));
        checkDistinct(cmp.operator(), cmp.left(), cmp.right());
      }
      case Between b -> {
        checkOperands(List.of(b.value(), b.low(), b.high()));
        checkBetweenBounds(b);
      }
      case In in -> {
        List<Operand> all = new ArrayList<>();
        all.add(in.value());
        all.addAll(in.candidates());
        checkOperands(all);
        if (in.candidates().size() > MAX_IN_OPERANDS) {
          problems.note("function", "The IN operator is provided with too many operands; number of operands: "
              + in.candidates().size());
        }
      }
      case FunctionCondition f -> {
        if (f.function().name().equals("size")) {
          problems.note("misusedFunction", "The function is not allowed to be used this way in an expression; "
              + "function: size");
        }
        checkFunction(f.function());
      }
    }
  }

  /** Operands of comparisons: only size() may be a function there. */
  private void checkOperands(List<Operand> operands) {
    for (Operand o : operands) {
      checkParens(o);
      if (Expr.unwrap(o) instanceof FunctionOperand f) {
        if (!f.name().equals("size") && CONDITION_FUNCTIONS.containsKey(f.name())) {
          problems.note("misusedFunction", "The function is not allowed to be used this way in an expression; "
              + "function: " + f.name());
        }
        checkFunction(f);
      }
    }
  }

  private void checkParens(Operand o) {
    if (o instanceof ParenOperand p) {
      if (p.inner() instanceof ParenOperand) {
        problems.note("parens", "The expression has redundant parentheses;");
      }
      checkParens(p.inner());
    }
  }

  private void checkFunction(FunctionOperand f) {
    Integer arity = CONDITION_FUNCTIONS.get(f.name());
    if (arity == null) {
      problems.note("unknownFunction", "Invalid function name; function: " + f.name());
      return;
    }
    for (Operand arg : f.args()) {
      checkParens(arg);
      if (Expr.unwrap(arg) instanceof FunctionOperand inner) {
        problems.note("misusedFunction", "The function is not allowed to be used this way in an expression; "
            + "function: " + inner.name());
        checkFunction(inner);
      }
    }
    if (f.args().size() != arity) {
      problems.note("operand", "Incorrect number of operands for operator or function; operator or function: "
          + f.name() + ", number of operands: " + f.args().size());
      return;
    }
    if (arity == 2) {
      checkDistinct(f.name(), f.args().get(0), f.args().get(1));
    }
    Operand first = Expr.unwrap(f.args().getFirst());
    switch (f.name()) {
      case "attribute_exists", "attribute_not_exists" -> {
        if (!(first instanceof PathOperand)) {
          problems.note("function", "Operator or function requires a document path; operator or function: " + f.name());
        }
      }
      case "attribute_type" -> {
        String type = staticType(f.args().get(1));
        if (!(Expr.unwrap(f.args().get(1)) instanceof ValueOperand v && v.value() instanceof AttrValue.S s)) {
          problems.note("function", "Incorrect operand type for operator or function; operator or function: "
              + "attribute_type, operand type: " + (type == null ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : type));
        } else {
          String name = s.value();
          if (!ATTRIBUTE_TYPES.contains(name)) {
            problems.note("function", "Invalid attribute type name found; type: " + name
                + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
          }
        }
      }
      case "begins_with" -> {
        for (Operand arg : f.args()) {
          String type = staticType(arg);
          if (type != null && !type.equals("S") && !type.equals("B")) {
            problems.note("function", "Incorrect operand type for operator or function; operator or function: "
                + "begins_with, operand type: " + type);
          }
        }
      }
      case "size" -> {
        String type = staticType(first);
        if (type != null && (type.equals("N") || type.equals("BOOL") || type.equals("NULL"))) {
          problems.note("function", "Incorrect operand type for operator or function; operator or function: size, "
              + "operand type: " + type);
        }
      }
      default -> {
        // contains takes any operand
      }
    }
  }

  private void checkDistinct(String operator, Operand a, Operand b) {
    if (Expr.unwrap(a) instanceof PathOperand x && Expr.unwrap(b) instanceof PathOperand y && x.path().equals(y.path())) {
      problems.note("distinct", "The first operand must be distinct from the remaining operands for this operator or "
          + "function; operator: " + operator + ", first operand: " + x.path().describe());
    }
  }

  private void checkBetweenBounds(Between b) {
    if (Expr.unwrap(b.low()) instanceof ValueOperand lo && Expr.unwrap(b.high()) instanceof ValueOperand hi
        && lo.value() != null && hi.value() != null) {
      String bounds = "lower bound operand: AttributeValue: " + AttributeJson.describe(lo.value())
          + ", upper bound operand: AttributeValue: " + AttributeJson.describe(hi.value());
      if (!lo.value().type().equals(hi.value().type())) {
        problems.note("function", "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
      } else if (AttrValue.comparable(lo.value(), hi.value()) && AttrValue.compare(lo.value(), hi.value()) > 0) {
        problems.note("function", "The BETWEEN operator requires upper bound to be greater than or equal to lower "
            + "bound; " + bounds);
      }
    }
  }

  /** The type an operand is known to have before any item is read, or null (a path). */
  private static String staticType(Operand o) {
    return switch (Expr.unwrap(o)) {
      case ValueOperand v -> v.value() == null ? null : v.value().type();
      case FunctionOperand f -> switch (f.name()) {
        case "size" -> "N";
        case "list_append" -> "L";
        case "if_not_exists" -> f.args().size() == 2 ? staticType(f.args().get(1)) : null;
        default -> "BOOL";
      };
      case ArithmeticOperand ignored -> "N";
      default -> null;
    };
  }

  // ------------------------------------------------------------------ key conditions

  private static void keyTerms(Condition c, Map<String, KeyTerm> terms) {
    switch (c) {
      case ParenCondition p -> keyTerms(p.inner(), terms);
      case And a -> {
        keyTerms(a.left(), terms);
        keyTerms(a.right(), terms);
      }
      case Or ignored -> throw keyError("Invalid operator used in KeyConditionExpression: OR");
      case Not ignored -> throw keyError("Invalid operator used in KeyConditionExpression: NOT");
      case In ignored -> throw keyError("Invalid operator used in KeyConditionExpression: IN");
      case Comparison cmp -> {
        if (cmp.operator().equals("<>")) {
          throw keyError("Invalid operator used in KeyConditionExpression: <>");
        }
        List<Operand> ops = List.of(cmp.left(), cmp.right());
        noNestedOperations(ops);
        // The key may stand on either side; DynamoDB turns "value < key" round.
        boolean keyFirst = Expr.unwrap(cmp.left()) instanceof PathOperand;
        String operator = keyFirst ? cmp.operator() : switch (cmp.operator()) {
          case "<" -> ">";
          case "<=" -> ">=";
          case ">" -> "<";
          case ">=" -> "<=";
          default -> cmp.operator();
        };
        addTerm(terms, ops, operator);
      }
      case Between b -> {
        List<Operand> ops = List.of(b.value(), b.low(), b.high());
        noNestedOperations(ops);
        if (!(Expr.unwrap(b.value()) instanceof PathOperand)) {
          throw keyError("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute "
              + "as its first operand");
        }
        addTerm(terms, ops, "BETWEEN");
      }
      case FunctionCondition f -> {
        String name = f.function().name();
        if (!name.equals("begins_with")) {
          throw keyError("Invalid operator used in KeyConditionExpression: " + name);
        }
        noNestedOperations(f.function().args());
        if (!(Expr.unwrap(f.function().args().getFirst()) instanceof PathOperand)) {
          throw keyError("Invalid condition in KeyConditionExpression: begins_with operator must have the key "
              + "attribute as its first operand");
        }
        addTerm(terms, f.function().args(), "begins_with");
      }
    }
  }

  private static void noNestedOperations(List<Operand> ops) {
    for (Operand o : ops) {
      if (Expr.unwrap(o) instanceof FunctionOperand) {
        throw keyError("KeyConditionExpressions cannot contain nested operations");
      }
    }
  }

  private static void addTerm(Map<String, KeyTerm> terms, List<Operand> ops, String operator) {
    String attribute = null;
    List<AttrValue> values = new ArrayList<>();
    for (Operand o : ops) {
      switch (Expr.unwrap(o)) {
        case PathOperand p -> {
          if (attribute != null) {
            throw keyError("Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
                + "condition");
          }
          if (p.path().nested()) {
            throw keyError("KeyConditionExpressions cannot have conditions on nested attributes");
          }
          attribute = p.path().head();
        }
        case ValueOperand v -> values.add(v.value());
        default -> throw keyError("KeyConditionExpressions cannot contain nested operations");
      }
    }
    if (attribute == null) {
      throw keyError("Invalid condition in KeyConditionExpression: No key attribute specified");
    }
    if (terms.containsKey(attribute)) {
      throw keyError("KeyConditionExpressions must only contain one condition per key");
    }
    terms.put(attribute, new KeyTerm(attribute, operator, values));
  }

  private static DynamoDbException keyError(String message) {
    return DynamoDbException.validation(message);
  }

  // ------------------------------------------------------------------ updates

  private Update parseUpdate() {
    return syntax(() -> {
      List<UpdateAction> actions = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      do {
        Token section = peek();
        String name = section.kind() == Kind.NAME ? section.text().toUpperCase(java.util.Locale.ROOT) : "";
        if (!SECTIONS.contains(name)) {
          throw syntaxError();
        }
        next();
        if (!seen.add(name)) {
          problems.note("section", "The \"" + name + "\" section can only be used once in an update expression;");
        }
        actions.add(action(name));
        while (peek().kind() == Kind.COMMA) {
          next();
          actions.add(action(name));
        }
      } while (peek().kind() != Kind.EOF);
      checkUpdate(actions);
      return new Update(actions);
    });
  }

  private UpdateAction action(String section) {
    DocPath path = path();
    return switch (section) {
      case "SET" -> {
        expect(Kind.EQ);
        yield new SetAction(path, setValue());
      }
      case "REMOVE" -> new RemoveAction(path);
      case "ADD" -> new AddAction(path, valueRef(expect(Kind.VALUE_REF)));
      default -> new DeleteAction(path, valueRef(expect(Kind.VALUE_REF)));
    };
  }

  /** {@code operand}, {@code operand + operand} or {@code operand - operand}. */
  private Operand setValue() {
    Operand left = operand(true);
    if (peek().kind() == Kind.PLUS || peek().kind() == Kind.MINUS) {
      char op = next().text().charAt(0);
      return new ArithmeticOperand(op, left, operand(true));
    }
    return left;
  }

  private void checkUpdate(List<UpdateAction> actions) {
    List<DocPath> targets = new ArrayList<>();
    for (UpdateAction a : actions) {
      targets.add(a.path());
      switch (a) {
        case SetAction s -> checkUpdateOperand(s.value());
        case AddAction add -> {
          String type = add.value().value() == null ? null : add.value().value().type();
          if (type != null && !ADDABLE.contains(type)) {
            problems.note("operand", "Incorrect operand type for operator or function; operator: ADD, operand type: "
                + typeWord(type));
          }
        }
        case DeleteAction del -> {
          String type = del.value().value() == null ? null : del.value().value().type();
          if (type != null && !(type.equals("SS") || type.equals("NS") || type.equals("BS"))) {
            problems.note("operand", "Incorrect operand type for operator or function; operator: DELETE, "
                + "operand type: " + typeWord(type));
          }
        }
        case RemoveAction ignored -> {
          // nothing beyond the path
        }
      }
    }
    checkOverlaps(targets);
  }

  private static String typeWord(String type) {
    return switch (type) {
      case "S" -> "STRING";
      case "N" -> "NUMBER";
      case "B" -> "BINARY";
      case "BOOL" -> "BOOLEAN";
      case "L" -> "LIST";
      case "M" -> "MAP";
      default -> type;
    };
  }

  private void checkUpdateOperand(Operand o) {
    switch (o) {
      case ParenOperand p -> checkUpdateOperand(p.inner());
      case ArithmeticOperand a -> {
        checkUpdateOperand(a.left());
        checkUpdateOperand(a.right());
        for (Operand side : List.of(a.left(), a.right())) {
          String type = staticType(side);
          if (type != null && !type.equals("N")) {
            problems.note("function", "Incorrect operand type for operator or function; operator or function: "
                + a.operator() + ", operand type: " + type);
          }
        }
      }
      case FunctionOperand f -> {
        f.args().forEach(this::checkUpdateOperand);
        Integer arity = UPDATE_FUNCTIONS.get(f.name());
        if (arity == null) {
          problems.note("unknownFunction", "Invalid function name; function: " + f.name());
          return;
        }
        if (f.args().size() != arity) {
          problems.note("function", "Incorrect number of operands for operator or function; operator or function: "
              + f.name() + ", number of operands: " + f.args().size());
          return;
        }
        if (f.name().equals("if_not_exists")) {
          if (!(Expr.unwrap(f.args().getFirst()) instanceof PathOperand)) {
            problems.note("function", "Operator or function requires a document path; operator or function: "
                + "if_not_exists");
          }
        } else {
          for (Operand arg : f.args()) {
            String type = staticType(arg);
            if (type != null && !type.equals("L")) {
              problems.note("function", "Incorrect operand type for operator or function; operator or function: "
                  + "list_append, operand type: " + type);
            }
          }
        }
      }
      default -> {
        // paths and values
      }
    }
  }

  /**
   * Two paths of one update (or projection) may not be the same path or one inside the other
   * ("overlap"), nor use a name and an index at the same place ("conflict").
   */
  private void checkOverlaps(List<DocPath> paths) {
    for (int i = 0; i < paths.size(); i++) {
      for (int j = 0; j < i; j++) {
        List<Object> a = paths.get(j).elements();
        List<Object> b = paths.get(i).elements();
        String pair = "must remove or rewrite one of these paths; path one: " + paths.get(j).describe()
            + ", path two: " + paths.get(i).describe();
        boolean diverged = false;
        for (int k = 0; k < Math.min(a.size(), b.size()) && !diverged; k++) {
          if (a.get(k).getClass() != b.get(k).getClass()) {
            problems.note("pathConflict", "Two document paths conflict with each other; " + pair);
            diverged = true;
          } else if (!a.get(k).equals(b.get(k))) {
            diverged = true;
          }
        }
        if (!diverged) {
          problems.note("pathOverlap", "Two document paths overlap with each other; " + pair);
        }
      }
    }
  }

  // ------------------------------------------------------------------ problems

  /** The first problem seen in each category; DynamoDB reports categories in a fixed order. */
  private static final class Problems {
    private final Map<String, String> first = new LinkedHashMap<>();

    void note(String category, String message) {
      first.putIfAbsent(category, message);
    }

    void raise(String kind, String... order) {
      for (String category : order) {
        String message = first.get(category);
        if (message != null) {
          throw DynamoDbException.validation("Invalid " + kind + ": " + message);
        }
      }
    }
  }
}
