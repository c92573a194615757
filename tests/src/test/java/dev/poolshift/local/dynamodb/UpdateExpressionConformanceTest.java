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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The examples of the Developer Guide's "Update expressions" page, run in its order on its
 * ProductCatalog item 789, plus the errors DynamoDB gives for updates it refuses.
 */
class UpdateExpressionConformanceTest {
  private static final String TABLE = "ProductCatalog";
  private static final Map<String, AttributeValue> KEY = Map.of("Id", n("789"));

  private final LocalDynamoDb dynamo = new LocalDynamoDb().table(TABLE, "Id", ScalarAttributeType.N, null, null);

  @AfterEach
  void close() {
    dynamo.close();
  }

  private void putSampleItem() {
    dynamo.put(TABLE, Map.of("Id", n("789"), "ProductCategory", s("Home Improvement"), "Price", n("52"),
        "InStock", AttributeValue.fromBool(true), "Brand", s("Acme")));
  }

  private Map<String, AttributeValue> update(String expression, Map<String, String> names,
      Map<String, AttributeValue> values) {
    UpdateItemResponse r = dynamo.client.updateItem(b -> b.tableName(TABLE).key(KEY).updateExpression(expression)
        .expressionAttributeNames(names.isEmpty() ? null : names)
        .expressionAttributeValues(values.isEmpty() ? null : values)
        .returnValues(ReturnValue.ALL_NEW));
    return r.attributes();
  }

  private static List<String> strings(AttributeValue list) {
    return list.l().stream().map(AttributeValue::s).toList();
  }

  @Test
  void setModifiesAttributesAndReturnsTheNewItem() {
    putSampleItem();

    Map<String, AttributeValue> item = update("SET ProductCategory = :c, Price = :p", Map.of(),
        Map.of(":c", s("Hardware"), ":p", n("60")));

    assertThat(item.get("ProductCategory").s()).isEqualTo("Hardware");
    assertThat(item.get("Price").n()).isEqualTo("60");
    assertThat(item.get("Brand").s()).isEqualTo("Acme");
  }

  @Test
  void theGuidesListAndMapWalkThroughEndsAsDocumented() {
    putSampleItem();

    update("SET RelatedItems = :ri, ProductReviews = :pr", Map.of(), Map.of(
        ":ri", AttributeValue.fromL(List.of(s("Hammer"))),
        ":pr", AttributeValue.fromM(Map.of("FiveStar", AttributeValue.fromL(List.of(s("Best product ever!")))))));
    update("SET RelatedItems[1] = :ri", Map.of(), Map.of(":ri", s("Nails")));
    Map<String, AttributeValue> nested = update("SET #pr.#5star[1] = :r5, #pr.#3star = :r3",
        Map.of("#pr", "ProductReviews", "#5star", "FiveStar", "#3star", "ThreeStar"),
        Map.of(":r5", s("Very happy with my purchase"),
            ":r3", AttributeValue.fromL(List.of(s("Just OK - not that great")))));
    update("SET #ri = list_append(#ri, :vals)", Map.of("#ri", "RelatedItems"),
        Map.of(":vals", AttributeValue.fromL(List.of(s("Screwdriver"), s("Hacksaw")))));
    Map<String, AttributeValue> prepended = update("SET #ri = list_append(:vals, #ri)", Map.of("#ri", "RelatedItems"),
        Map.of(":vals", AttributeValue.fromL(List.of(s("Chisel")))));
    Map<String, AttributeValue> removed = update("REMOVE RelatedItems[1], RelatedItems[2]", Map.of(), Map.of());

    assertThat(strings(nested.get("ProductReviews").m().get("FiveStar")))
        .containsExactly("Best product ever!", "Very happy with my purchase");
    assertThat(strings(nested.get("ProductReviews").m().get("ThreeStar"))).containsExactly("Just OK - not that great");
    assertThat(strings(prepended.get("RelatedItems")))
        .containsExactly("Chisel", "Hammer", "Nails", "Screwdriver", "Hacksaw");
    assertThat(strings(removed.get("RelatedItems"))).containsExactly("Chisel", "Screwdriver", "Hacksaw");
  }

  @Test
  void setDecrementsANumber() {
    putSampleItem();

    assertThat(update("SET Price = Price - :p", Map.of(), Map.of(":p", n("15"))).get("Price").n()).isEqualTo("37");
  }

  @Test
  void ifNotExistsKeepsAnExistingValue() {
    putSampleItem();

    assertThat(update("SET Price = if_not_exists(Price, :p)", Map.of(), Map.of(":p", n("100"))).get("Price").n())
        .isEqualTo("52");
    assertThat(update("SET Discount = if_not_exists(Discount, :p)", Map.of(), Map.of(":p", n("100")))
        .get("Discount").n()).isEqualTo("100");
  }

  @Test
  void removeDeletesAttributesAndIgnoresMissingOnes() {
    putSampleItem();

    Map<String, AttributeValue> item = update("REMOVE Brand, InStock, QuantityOnHand", Map.of(), Map.of());

    assertThat(item).containsOnlyKeys("Id", "ProductCategory", "Price");
  }

  @Test
  void addCreatesThenIncrementsANumber() {
    putSampleItem();

    update("ADD QuantityOnHand :q", Map.of(), Map.of(":q", n("5")));

    assertThat(update("ADD QuantityOnHand :q", Map.of(), Map.of(":q", n("5"))).get("QuantityOnHand").n())
        .isEqualTo("10");
  }

  @Test
  void addAndDeleteWorkOnStringSets() {
    putSampleItem();

    update("ADD Color :c", Map.of(), Map.of(":c", AttributeValue.fromSs(List.of("Orange", "Purple"))));
    update("ADD Color :c", Map.of(), Map.of(":c", AttributeValue.fromSs(List.of("Yellow", "Green", "Blue"))));
    Map<String, AttributeValue> item = update("DELETE Color :p", Map.of(),
        Map.of(":p", AttributeValue.fromSs(List.of("Yellow", "Purple"))));

    assertThat(item.get("Color").ss()).containsExactlyInAnyOrder("Orange", "Green", "Blue");
  }

  @Test
  void deletingEverySetElementRemovesTheAttribute() {
    putSampleItem();
    update("ADD Color :c", Map.of(), Map.of(":c", AttributeValue.fromSs(List.of("Orange"))));

    Map<String, AttributeValue> item = update("DELETE Color :c", Map.of(),
        Map.of(":c", AttributeValue.fromSs(List.of("Orange"))));

    assertThat(item).doesNotContainKey("Color");
  }

  @Test
  void anUpdateOfAMissingItemCreatesItFromItsKey() {
    Map<String, AttributeValue> item = update("SET Price = :p", Map.of(), Map.of(":p", n("1")));

    assertThat(item).containsOnlyKeys("Id", "Price");
  }

  @Test
  void everyValueIsComputedFromTheItemBeforeTheUpdate() {
    dynamo.put(TABLE, Map.of("Id", n("789"), "A", n("1"), "B", n("2")));

    Map<String, AttributeValue> item = update("SET A = B, B = A", Map.of(), Map.of());

    assertThat(item.get("A").n()).isEqualTo("2");
    assertThat(item.get("B").n()).isEqualTo("1");
  }

  @Test
  void updatedOldAndUpdatedNewReturnOnlyTheChangedAttributes() {
    putSampleItem();

    UpdateItemResponse old = dynamo.client.updateItem(b -> b.tableName(TABLE).key(KEY)
        .updateExpression("SET Price = :p").expressionAttributeValues(Map.of(":p", n("70")))
        .returnValues(ReturnValue.UPDATED_OLD));
    UpdateItemResponse fresh = dynamo.client.updateItem(b -> b.tableName(TABLE).key(KEY)
        .updateExpression("SET Price = :p").expressionAttributeValues(Map.of(":p", n("80")))
        .returnValues(ReturnValue.UPDATED_NEW));

    assertThat(old.attributes()).containsOnlyKeys("Price");
    assertThat(old.attributes().get("Price").n()).isEqualTo("52");
    assertThat(fresh.attributes().get("Price").n()).isEqualTo("80");
  }

  // ------------------------------------------------------------------ refused updates

  private static void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }

  @Test
  void aNestedPathUnderAMissingMapIsInvalid() {
    putSampleItem();

    assertValidation(() -> update("SET #a.#b = :v", Map.of("#a", "missing", "#b", "nested"), Map.of(":v", s("x"))),
        "The document path provided in the update expression is invalid for update");
  }

  @Test
  void arithmeticOnAMissingAttributeIsRefused() {
    putSampleItem();

    assertValidation(() -> update("SET Stock = Stock + :one", Map.of(), Map.of(":one", n("1"))),
        "The provided expression refers to an attribute that does not exist in the item");
  }

  @Test
  void arithmeticOnAStringIsRefused() {
    putSampleItem();

    assertValidation(() -> update("SET Brand = Brand + :one", Map.of(), Map.of(":one", n("1"))),
        "An operand in the update expression has an incorrect data type");
  }

  @Test
  void aKeyAttributeCannotBeUpdated() {
    putSampleItem();

    assertValidation(() -> update("SET Id = :v", Map.of(), Map.of(":v", n("1"))),
        "One or more parameter values were invalid: Cannot update attribute Id. This attribute is part of the key");
  }

  @Test
  void theSamePathTwiceOverlaps() {
    putSampleItem();

    assertValidation(() -> update("SET Price = :a, Price = :b", Map.of(), Map.of(":a", n("1"), ":b", n("2"))),
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
            + "paths; path one: [Price], path two: [Price]");
  }

  @Test
  void aPathInsideAnotherOverlaps() {
    putSampleItem();

    assertValidation(() -> update("SET Pictures = :a REMOVE Pictures.Front", Map.of(),
        Map.of(":a", AttributeValue.fromM(Map.of()))),
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
            + "paths; path one: [Pictures], path two: [Pictures, Front]");
  }

  @Test
  void aNameAndAnIndexAtTheSamePlaceConflict() {
    putSampleItem();

    assertValidation(() -> update("REMOVE Tags.alpha SET Tags[1] = :v", Map.of(), Map.of(":v", s("x"))),
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these "
            + "paths; path one: [Tags, alpha], path two: [Tags, [1]]");
  }

  @Test
  void addTakesOnlyNumbersAndSets() {
    putSampleItem();

    assertValidation(() -> update("ADD Brand :v", Map.of(), Map.of(":v", s("x"))),
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
  }

  @Test
  void listAppendTakesOnlyLists() {
    putSampleItem();

    assertValidation(() -> update("SET Tags = list_append(Tags, :v)", Map.of(), Map.of(":v", s("x"))),
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: "
            + "list_append, operand type: S");
  }

  @Test
  void aSectionMayAppearOnlyOnce() {
    putSampleItem();

    assertValidation(() -> update("SET A = :a SET B = :a", Map.of(), Map.of(":a", n("1"))),
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
  }

  @Test
  void anUnknownFunctionIsNamed() {
    putSampleItem();

    assertValidation(() -> update("SET A = if_not_exist(A, :a)", Map.of(), Map.of(":a", n("1"))),
        "Invalid UpdateExpression: Invalid function name; function: if_not_exist");
  }

  @Test
  void aSyntaxErrorNamesTheTokenAndWhatSurroundsIt() {
    putSampleItem();

    assertValidation(() -> update("ADD hits : incr", Map.of(), Map.of(":incr", n("1"))),
        "Invalid UpdateExpression: Syntax error; token: \":\", near: \"hits : incr\"");
    assertValidation(() -> update("INVALID SYNTAX HERE", Map.of(), Map.of()),
        "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
    assertValidation(() -> update("SET a = b +", Map.of(), Map.of()),
        "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"+\"");
  }

  @Test
  void anUpdateThatMakesTheItemTooLargeIsRefused() {
    putSampleItem();

    assertValidation(() -> update("SET Payload = :v", Map.of(), Map.of(":v", s("x".repeat(400 * 1024)))),
        "Item size to update has exceeded the maximum allowed size");
  }
}
