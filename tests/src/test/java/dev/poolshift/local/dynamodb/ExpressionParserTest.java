package dev.poolshift.local.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.dynamodb.Expr.And;
import dev.poolshift.local.dynamodb.Expr.Condition;
import dev.poolshift.local.dynamodb.Expr.Or;
import dev.poolshift.local.dynamodb.ExpressionParser.KeyTerm;
import dev.poolshift.local.json.LocalJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expression parser on its own: grammar, precedence and DynamoDB's syntax messages. */
class ExpressionParserTest {

  private static ExpressionContext values(String... refs) {
    var json = LocalJson.object();
    for (String ref : refs) {
      json.putObject(ref).put("S", "x");
    }
    return ExpressionContext.of(null, refs.length == 0 ? null : json);
  }

  private static Condition condition(String source, String... refs) {
    return ExpressionParser.condition("ConditionExpression", source, values(refs));
  }

  private static void assertMessage(Runnable parse, String message) {
    assertThatThrownBy(parse::run).isInstanceOf(DynamoDbException.class).hasMessage(message);
  }

  @Test
  void andBindsTighterThanOrAndNotTighterThanAnd() {
    Condition c = condition("a = :v OR NOT b = :v AND c = :v", ":v");

    assertThat(c).isInstanceOfSatisfying(Or.class, or -> assertThat(or.right()).isInstanceOf(And.class));
  }

  @Test
  void keywordsAreCaseInsensitiveButFunctionNamesAreNot() {
    condition("a between :v and :v or a in (:v)", ":v");

    assertMessage(() -> condition("ATTRIBUTE_EXISTS(a)"),
        "Invalid ConditionExpression: Invalid function name; function: ATTRIBUTE_EXISTS");
  }

  @Test
  void aSyntaxErrorQuotesTheTokenBeforeAndAfterTheOffendingOne() {
    assertMessage(() -> ExpressionParser.projection("!!! INVALID !!!", values()),
        "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\"");
    assertMessage(() -> ExpressionParser.projection("a,", values()),
        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
    assertMessage(() -> condition("a = :v :v", ":v"),
        "Invalid ConditionExpression: Syntax error; token: \":v\", near: \":v :v\"");
  }

  @Test
  void listIndexesMustBeNonNegativeIntegers() {
    assertMessage(() -> ExpressionParser.projection("MyList[-1]", values()),
        "Invalid ProjectionExpression: Syntax error; token: \"-\", near: \"[-1\"");
  }

  @Test
  void aKeyConditionMayPutTheValueFirst() {
    List<KeyTerm> terms = ExpressionParser.keyCondition("pk = :v AND :v < sk", values(":v"));

    assertThat(terms).extracting(KeyTerm::attribute, KeyTerm::operator)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("pk", "="), org.assertj.core.groups.Tuple.tuple("sk", ">"));
  }

  @Test
  void aKeyConditionTakesOneConditionPerKey() {
    assertMessage(() -> ExpressionParser.keyCondition("pk = :v AND pk = :v", values(":v")),
        "KeyConditionExpressions must only contain one condition per key");
    assertMessage(() -> ExpressionParser.keyCondition("pk.x = :v", values(":v")),
        "KeyConditionExpressions cannot have conditions on nested attributes");
  }

  @Test
  void placeholdersUsedAnywhereInTheRequestCountAsUsed() {
    ExpressionContext context = ExpressionContext.of(LocalJson.MAPPER.valueToTree(Map.of("#a", "a")),
        LocalJson.parse("{\":v\": {\"N\": \"1\"}}"));

    ExpressionParser.update("SET #a = :v", context);

    context.requireAllUsed();
  }
}
