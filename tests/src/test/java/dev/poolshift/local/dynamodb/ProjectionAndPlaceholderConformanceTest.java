package dev.poolshift.local.dynamodb;

import static dev.poolshift.local.dynamodb.LocalDynamoDb.n;
import static dev.poolshift.local.dynamodb.LocalDynamoDb.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The examples of the Developer Guide's "Projection expressions" and "Expression attribute names"
 * pages on its ProductCatalog item 123, and the errors DynamoDB gives for placeholders.
 */
class ProjectionAndPlaceholderConformanceTest {
  private static final String TABLE = "ProductCatalog";
  private static final Map<String, AttributeValue> KEY = Map.of("Id", n("123"));

  private final LocalDynamoDb dynamo = new LocalDynamoDb().table(TABLE, "Id", ScalarAttributeType.N, null, null);

  ProjectionAndPlaceholderConformanceTest() {
    dynamo.put(TABLE, Map.of("Id", n("123"), "Title", s("Bicycle 123"), "Description", s("123 description"),
        "RelatedItems", AttributeValue.fromL(List.of(n("341"), n("472"), n("649"))),
        "ProductReviews", AttributeValue.fromM(Map.of(
            "FiveStar", AttributeValue.fromL(List.of(s("Excellent! Can't recommend it highly enough! Buy it!"),
                s("Do yourself a favor and buy this."))),
            "OneStar", AttributeValue.fromL(List.of(s("Terrible product! Do not buy this."))))),
        "Comment", s("This product sells out quickly during the summer"),
        "Safety.Warning", s("Always wear a helmet")));
  }

  @AfterEach
  void close() {
    dynamo.close();
  }

  private Map<String, AttributeValue> get(java.util.function.Consumer<GetItemRequest.Builder> more) {
    return dynamo.client.getItem(b -> {
      b.tableName(TABLE).key(KEY);
      more.accept(b);
    }).item();
  }

  @Test
  void aProjectionReturnsNestedPartsShapedAsInTheItem() {
    Map<String, AttributeValue> item = get(b -> b.projectionExpression(
        "Description, RelatedItems[0], ProductReviews.FiveStar"));

    assertThat(item).containsOnlyKeys("Description", "RelatedItems", "ProductReviews");
    assertThat(item.get("RelatedItems").l()).containsExactly(n("341"));
    assertThat(item.get("ProductReviews").m()).containsOnlyKeys("FiveStar");
    assertThat(item.get("ProductReviews").m().get("FiveStar").l()).hasSize(2);
  }

  @Test
  void projectedListElementsKeepTheirOrderButCloseUp() {
    Map<String, AttributeValue> item = get(b -> b.projectionExpression("RelatedItems[2], RelatedItems[0]"));

    assertThat(item.get("RelatedItems").l()).containsExactly(n("341"), n("649"));
  }

  @Test
  void aReservedWordNeedsAPlaceholder() {
    assertThatThrownBy(() -> get(b -> b.projectionExpression("Comment")))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Comment"));

    assertThat(get(b -> b.projectionExpression("#c").expressionAttributeNames(Map.of("#c", "Comment"))))
        .containsOnlyKeys("Comment");
  }

  @Test
  void aDotInAnExpressionIsAPathSoANameWithADotNeedsAPlaceholder() {
    assertThat(get(b -> b.projectionExpression("Safety.Warning"))).isEmpty();
    assertThat(get(b -> b.projectionExpression("#sw").expressionAttributeNames(Map.of("#sw", "Safety.Warning"))))
        .containsOnlyKeys("Safety.Warning");
  }

  @Test
  void aPlaceholderStandsForOneNameNotForAPath() {
    assertThat(get(b -> b.projectionExpression("#pr1star")
        .expressionAttributeNames(Map.of("#pr1star", "ProductReviews.OneStar")))).isEmpty();
    assertThat(get(b -> b.projectionExpression("#pr.#1star")
        .expressionAttributeNames(Map.of("#pr", "ProductReviews", "#1star", "OneStar"))).get("ProductReviews").m())
        .containsOnlyKeys("OneStar");
  }

  // ------------------------------------------------------------------ placeholder errors

  private void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }

  private void deleteIf(String condition, Map<String, String> names, Map<String, AttributeValue> values) {
    dynamo.client.deleteItem(b -> b.tableName(TABLE).key(KEY).conditionExpression(condition)
        .expressionAttributeNames(names).expressionAttributeValues(values));
  }

  @Test
  void unusedPlaceholdersAreRefused() {
    assertValidation(() -> deleteIf("attribute_exists(Title)", Map.of("#unused", "x"), null),
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}");
    assertValidation(() -> deleteIf("Title = :v", null, Map.of(":v", s("x"), ":unused", s("y"))),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
  }

  @Test
  void undefinedPlaceholdersAreRefused() {
    assertValidation(() -> deleteIf("#t = :v", null, Map.of(":v", s("x"))),
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; "
            + "attribute name: #t");
    assertValidation(() -> deleteIf("Title = :v", null, null),
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
            + "attribute value: :v");
  }

  @Test
  void placeholderKeysMustHaveTheirPrefix() {
    assertValidation(() -> deleteIf("Title = :v", null, Map.of("v", s("x"))),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
    assertValidation(() -> deleteIf("#t = :v", Map.of("t", "Title"), Map.of(":v", s("x"))),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"t\"");
  }

  @Test
  void placeholderMapsMustNotBeEmpty() {
    assertValidation(() -> deleteIf("attribute_exists(Title)", Map.of(), null),
        "ExpressionAttributeNames must not be empty");
  }

  @Test
  void valuesWithoutAnExpressionThatTakesThemAreRefused() {
    assertValidation(() -> dynamo.client.putItem(b -> b.tableName(TABLE).item(KEY)
        .expressionAttributeValues(Map.of(":v", s("x")))),
        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null");
  }

  @Test
  void anInvalidPlaceholderValueIsNamed() {
    assertValidation(() -> deleteIf("Title = :v", null, Map.of(":v", AttributeValue.fromSs(List.of()))),
        "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may "
            + "not be empty for key :v");
  }

  @Test
  void expressionErrorsComeBeforeTheTableIsLookedUp() {
    assertValidation(() -> dynamo.client.deleteItem(b -> b.tableName("NoSuchTable").key(KEY)
        .conditionExpression("Title = :v")),
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
            + "attribute value: :v");
  }

  @Test
  void anEmptyExpressionIsRefused() {
    assertValidation(() -> get(b -> b.projectionExpression("")),
        "Invalid ProjectionExpression: The expression can not be empty;");
  }

  @Test
  void redundantParenthesesAreRefusedButNestedOnesAreNot() {
    assertValidation(() -> deleteIf("((attribute_exists(Title)))", null, null),
        "Invalid ConditionExpression: The expression has redundant parentheses;");
    deleteIf("(attribute_exists(Title) AND (attribute_exists(Description)))", null, null);

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void aFunctionUsedWhereAConditionIsNeededIsRefused() {
    assertValidation(() -> deleteIf("size(Title)", null, null),
        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size");
    assertValidation(() -> deleteIf("attribute_exists(Title) = :v", null, Map.of(":v", s("x"))),
        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: "
            + "attribute_exists");
  }

  @Test
  void betweenBoundsMustBeInOrder() {
    assertValidation(() -> deleteIf("Id BETWEEN :hi AND :lo", null, Map.of(":hi", n("5"), ":lo", n("1"))),
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower "
            + "bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}");
  }

  @Test
  void aComparisonOfAPathWithItselfIsRefused() {
    assertValidation(() -> deleteIf("Title = Title", null, null),
        "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator "
            + "or function; operator: =, first operand: [Title]");
  }
}
