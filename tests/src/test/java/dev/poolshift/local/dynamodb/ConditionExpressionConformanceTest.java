package dev.poolshift.local.dynamodb;

import static dev.poolshift.local.dynamodb.LocalDynamoDb.n;
import static dev.poolshift.local.dynamodb.LocalDynamoDb.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The examples of the Developer Guide's "Condition expressions" page and its comparison operator
 * and function reference, on its ProductCatalog table, through the SDK.
 */
class ConditionExpressionConformanceTest {
  private static final String TABLE = "ProductCatalog";
  private static final Map<String, AttributeValue> KEY = Map.of("Id", n("456"));

  private final LocalDynamoDb dynamo = new LocalDynamoDb().table(TABLE, "Id", ScalarAttributeType.N, null, null);

  @AfterEach
  void close() {
    dynamo.close();
  }

  /** The guide's sample item, with the attributes the later examples test. */
  private void putSampleItem() {
    dynamo.put(TABLE, Map.of("Id", n("456"), "ProductCategory", s("Sporting Goods"), "Price", n("650"),
        "Color", AttributeValue.fromSs(List.of("Red", "Black")),
        "Pictures", AttributeValue.fromM(Map.of("FrontView", s("http://example.com/products/456_front.jpg"))),
        "ProductReviews", AttributeValue.fromM(Map.of("OneStar", AttributeValue.fromL(List.of(s("Terrible")))))));
  }

  private void deleteIf(String condition, Map<String, AttributeValue> values) {
    dynamo.client.deleteItem(b -> b.tableName(TABLE).key(KEY).conditionExpression(condition)
        .expressionAttributeValues(values.isEmpty() ? null : values));
  }

  @Test
  void aConditionalPutDoesNotOverwriteAnExistingItem() {
    putSampleItem();

    assertThatThrownBy(() -> dynamo.client.putItem(b -> b.tableName(TABLE)
        .item(Map.of("Id", n("456"), "Price", n("1")))
        .conditionExpression("attribute_not_exists(Id)")))
        .isInstanceOf(ConditionalCheckFailedException.class)
        .hasMessageStartingWith("The conditional request failed");
    assertThat(dynamo.get(TABLE, KEY).get("Price").n()).isEqualTo("650");
  }

  @Test
  void aConditionalDeleteFailsWhenThePriceIsNotBetweenTheBounds() {
    putSampleItem();

    assertThatThrownBy(() -> deleteIf("(ProductCategory IN (:cat1, :cat2)) and (Price between :lo and :hi)",
        Map.of(":cat1", s("Sporting Goods"), ":cat2", s("Gardening Supplies"), ":lo", n("500"), ":hi", n("600"))))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(dynamo.get(TABLE, KEY)).isNotNull();
  }

  @Test
  void aConditionalDeleteSucceedsWhenBothComparisonsHold() {
    putSampleItem();

    deleteIf("(ProductCategory IN (:cat1, :cat2)) and (Price between :lo and :hi)",
        Map.of(":cat1", s("Sporting Goods"), ":cat2", s("Gardening Supplies"), ":lo", n("500"), ":hi", n("700")));

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void aConditionalUpdateReducesThePriceUntilTheConditionStopsIt() {
    putSampleItem();
    Runnable discount = () -> dynamo.client.updateItem(b -> b.tableName(TABLE).key(KEY)
        .updateExpression("SET Price = Price - :discount").conditionExpression("Price > :limit")
        .expressionAttributeValues(Map.of(":discount", n("75"), ":limit", n("500"))));

    discount.run();
    assertThat(dynamo.get(TABLE, KEY).get("Price").n()).isEqualTo("575");
    discount.run();
    assertThat(dynamo.get(TABLE, KEY).get("Price").n()).isEqualTo("500");

    assertThatThrownBy(discount::run).isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(dynamo.get(TABLE, KEY).get("Price").n()).isEqualTo("500");
  }

  @Test
  void attributeNotExistsFailsForAnItemThatHasTheAttribute() {
    putSampleItem();

    assertThatThrownBy(() -> deleteIf("attribute_not_exists(Price)", Map.of()))
        .isInstanceOf(ConditionalCheckFailedException.class);
  }

  @Test
  void attributeExistsLooksIntoNestedMaps() {
    putSampleItem();

    deleteIf("attribute_exists(ProductReviews.OneStar)", Map.of());

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void attributeTypeMatchesAStringSet() {
    putSampleItem();

    assertThatThrownBy(() -> deleteIf("attribute_type(Color, :v_sub)", Map.of(":v_sub", s("L"))))
        .isInstanceOf(ConditionalCheckFailedException.class);
    deleteIf("attribute_type(Color, :v_sub)", Map.of(":v_sub", s("SS")));

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void beginsWithChecksTheStartOfANestedString() {
    putSampleItem();

    assertThatThrownBy(() -> deleteIf("begins_with(Pictures.FrontView, :v_sub)", Map.of(":v_sub", s("https://"))))
        .isInstanceOf(ConditionalCheckFailedException.class);
    deleteIf("begins_with(Pictures.FrontView, :v_sub)", Map.of(":v_sub", s("http://")));

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void containsFindsAnElementOfAStringSet() {
    putSampleItem();

    assertThatThrownBy(() -> deleteIf("contains(Color, :v_sub)", Map.of(":v_sub", s("Blue"))))
        .isInstanceOf(ConditionalCheckFailedException.class);
    deleteIf("contains(Color, :v_sub)", Map.of(":v_sub", s("Red")));

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void sizeOfABinaryAttributeIsItsByteCount() {
    dynamo.put(TABLE, Map.of("Id", n("456"), "VideoClip", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[64001]))));

    assertThatThrownBy(() -> deleteIf("size(VideoClip) > :v_sub", Map.of(":v_sub", n("64001"))))
        .isInstanceOf(ConditionalCheckFailedException.class);
    deleteIf("size(VideoClip) > :v_sub", Map.of(":v_sub", n("64000")));

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void andBindsTighterThanOrAsTheGuidesPrecedenceExampleShows() {
    putSampleItem();
    // a and b are true, c is false: "a OR b AND c" is true, "(a OR b) AND c" is false.
    Map<String, AttributeValue> values = Map.of(":cat", s("Sporting Goods"), ":price", n("650"), ":none", s("x"));

    assertThatThrownBy(() -> deleteIf("(ProductCategory = :cat OR Price = :price) AND ProductCategory = :none", values))
        .isInstanceOf(ConditionalCheckFailedException.class);
    deleteIf("ProductCategory = :cat OR Price = :price AND ProductCategory = :none", values);

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void notEqualIsTrueForAMissingAttributeWhileOrderingComparisonsAreFalse() {
    putSampleItem();

    assertThatThrownBy(() -> deleteIf("Absent < :v", Map.of(":v", n("1"))))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThatThrownBy(() -> deleteIf("Absent = :v", Map.of(":v", n("1"))))
        .isInstanceOf(ConditionalCheckFailedException.class);
    deleteIf("Absent <> :v", Map.of(":v", n("1")));

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void valuesOfDifferentTypesAreNeverOrderedAgainstEachOther() {
    putSampleItem();

    assertThatThrownBy(() -> deleteIf("Price < :v", Map.of(":v", s("9999"))))
        .isInstanceOf(ConditionalCheckFailedException.class);
  }

  @Test
  void numbersCompareNumericallyAndStringsByTheirBytes() {
    dynamo.put(TABLE, Map.of("Id", n("456"), "Price", n("10"), "Label", s("b")));

    assertThatCode(() -> deleteIf("Price > :nine AND Label > :upper", Map.of(":nine", n("9.5"), ":upper", s("B"))))
        .doesNotThrowAnyException();
  }

  @Test
  void setsAreEqualWhateverTheOrderOfTheirElements() {
    putSampleItem();

    deleteIf("Color = :c", Map.of(":c", AttributeValue.fromSs(List.of("Black", "Red"))));

    assertThat(dynamo.get(TABLE, KEY)).isNull();
  }

  @Test
  void aFailedConditionReturnsTheItemWhenAskedFor() {
    putSampleItem();

    assertThatThrownBy(() -> dynamo.client.putItem(b -> b.tableName(TABLE).item(Map.of("Id", n("456")))
        .conditionExpression("attribute_not_exists(Id)")
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
        .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> {
          assertThat(e.hasItem()).isTrue();
          assertThat(e.item().get("ProductCategory").s()).isEqualTo("Sporting Goods");
        });
  }

  @Test
  void aFailedConditionReturnsNoItemUnlessAskedFor() {
    putSampleItem();

    assertThatThrownBy(() -> dynamo.client.putItem(b -> b.tableName(TABLE).item(Map.of("Id", n("456")))
        .conditionExpression("attribute_not_exists(Id)")))
        .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> assertThat(e.hasItem()).isFalse());
  }

  @Test
  void reservedWordsAreRejectedUnlessWrittenAsPlaceholders() {
    putSampleItem();

    assertThatThrownBy(() -> deleteIf("Comment = :v", Map.of(":v", s("x"))))
        .hasMessageStartingWith("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            + "Comment");
    assertThatCode(() -> dynamo.client.deleteItem(b -> b.tableName(TABLE).key(KEY)
        .conditionExpression("attribute_not_exists(#c)").expressionAttributeNames(Map.of("#c", "Comment"))))
        .doesNotThrowAnyException();
  }

  @Test
  void aConditionOnAnItemThatDoesNotExistSeesNoAttributes() {
    assertThatThrownBy(() -> deleteIf("attribute_exists(Id)", Map.of()))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThatCode(() -> deleteIf("attribute_not_exists(Id)", Map.of())).doesNotThrowAnyException();
  }
}
