package dev.poolshift.local.dynamodb;

import static dev.poolshift.local.dynamodb.LocalDynamoDb.n;
import static dev.poolshift.local.dynamodb.LocalDynamoDb.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** DynamoDB's types, key rules and the 400 KB item size, as the service enforces them. */
class ItemTypesAndLimitsTest {
  private static final String TABLE = "things";

  private final LocalDynamoDb dynamo = new LocalDynamoDb()
      .table(TABLE, "pk", ScalarAttributeType.S, null, null)
      .table("ranged", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);

  @AfterEach
  void close() {
    dynamo.close();
  }

  private AttributeValue roundTrip(AttributeValue value) {
    dynamo.put(TABLE, Map.of("pk", s("k"), "v", value));
    return dynamo.get(TABLE, Map.of("pk", s("k"))).get("v");
  }

  private void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }

  private void put(String attribute, AttributeValue value) {
    dynamo.put(TABLE, Map.of("pk", s("k"), attribute, value));
  }

  // ------------------------------------------------------------------ numbers

  @Test
  void numbersComeBackNormalisedAsDynamoDbReturnsThem() {
    assertThat(roundTrip(n("1.50")).n()).isEqualTo("1.5");
    assertThat(roundTrip(n("00042")).n()).isEqualTo("42");
    assertThat(roundTrip(n("1.5E2")).n()).isEqualTo("150");
    assertThat(roundTrip(n("-0")).n()).isEqualTo("0");
    assertThat(roundTrip(n("12345678901234567890123456789012345678")).n())
        .isEqualTo("12345678901234567890123456789012345678");
  }

  @Test
  void numbersBeyondThirtyEightDigitsOrTheRangeAreRefused() {
    assertValidation(() -> put("v", n("123456789012345678901234567890123456789")),
        "Attempting to store more than 38 significant digits in a Number");
    assertValidation(() -> put("v", n("1E+126")),
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
    assertValidation(() -> put("v", n("1E-131")),
        "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    assertValidation(() -> put("v", n("abc")), "The parameter cannot be converted to a numeric value: abc");
    assertThatCode(() -> put("v", n("9.9999999999999999999999999999999999999E+125"))).doesNotThrowAnyException();
    assertThatCode(() -> put("v", n("1E-130"))).doesNotThrowAnyException();
  }

  @Test
  void addingNumbersIsExactDecimalArithmetic() {
    put("v", n("0.1"));

    var r = dynamo.client.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", s("k"))).updateExpression("ADD v :d")
        .expressionAttributeValues(Map.of(":d", n("0.2"))).returnValues("UPDATED_NEW"));

    assertThat(r.attributes().get("v").n()).isEqualTo("0.3");
  }

  // ------------------------------------------------------------------ documents, sets, binary

  @Test
  void everyTypeRoundTrips() {
    AttributeValue doc = AttributeValue.fromM(Map.of(
        "s", s(""), "n", n("1"), "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, -1, 7})),
        "bool", AttributeValue.fromBool(false), "null", AttributeValue.fromNul(true),
        "l", AttributeValue.fromL(List.of(s("a"), n("2"))),
        "ss", AttributeValue.fromSs(List.of("x", "y")), "ns", AttributeValue.fromNs(List.of("1", "2.5")),
        "bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("p"), SdkBytes.fromUtf8String("q")))));

    AttributeValue back = roundTrip(doc);

    assertThat(back.m().get("b").b().asByteArray()).containsExactly(0, -1, 7);
    assertThat(back.m().get("s").s()).isEmpty();
    assertThat(back.m().get("null").nul()).isTrue();
    assertThat(back.m().get("ss").ss()).containsExactlyInAnyOrder("x", "y");
    assertThat(back.m().get("ns").ns()).containsExactlyInAnyOrder("1", "2.5");
    assertThat(back.m().get("l").l()).containsExactly(s("a"), n("2"));
  }

  @Test
  void setsMayBeNeitherEmptyNorHoldDuplicates() {
    assertValidation(() -> put("v", AttributeValue.fromSs(List.of())),
        "One or more parameter values were invalid: An string set  may not be empty");
    assertValidation(() -> put("v", AttributeValue.fromNs(List.of())),
        "One or more parameter values were invalid: An number set  may not be empty");
    assertValidation(() -> put("v", AttributeValue.fromSs(List.of("a", "a"))),
        "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
    assertValidation(() -> put("v", AttributeValue.fromM(Map.of("inner", AttributeValue.fromSs(List.of())))),
        "One or more parameter values were invalid: An string set  may not be empty");
  }

  @Test
  void nullMustBeTrue() {
    assertValidation(() -> put("v", AttributeValue.fromNul(false)),
        "One or more parameter values were invalid: Null attribute value types must have the value of true");
  }

  // ------------------------------------------------------------------ keys

  @Test
  void keysMustMatchTheSchemaExactly() {
    assertValidation(() -> dynamo.client.getItem(b -> b.tableName(TABLE).key(Map.of("pk", n("1")))),
        "The provided key element does not match the schema");
    assertValidation(() -> dynamo.client.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("a"), "x", s("b")))),
        "The provided key element does not match the schema");
    assertValidation(() -> dynamo.client.getItem(b -> b.tableName("ranged").key(Map.of("pk", s("a")))),
        "The provided key element does not match the schema");
  }

  @Test
  void anItemMustCarryItsKeyWithTheRightType() {
    assertValidation(() -> dynamo.put(TABLE, Map.of("other", s("x"))),
        "One or more parameter values were invalid: Missing the key pk in the item");
    assertValidation(() -> dynamo.put(TABLE, Map.of("pk", n("1"))),
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
  }

  @Test
  void keyStringsMayNotBeEmptyButOtherStringsMay() {
    assertValidation(() -> dynamo.put(TABLE, Map.of("pk", s(""))),
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
            + "string value. Key: pk");
    assertThat(roundTrip(s("")).s()).isEmpty();
  }

  @Test
  void aPartitionKeyIsAtMost2048Bytes() {
    assertThatCode(() -> dynamo.put(TABLE, Map.of("pk", s("k".repeat(2048))))).doesNotThrowAnyException();
    assertValidation(() -> dynamo.put(TABLE, Map.of("pk", s("k".repeat(2049)))),
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
  }

  @Test
  void aTableCanBeNamedByItsArn() {
    put("v", s("x"));
    String arn = dynamo.client.describeTable(b -> b.tableName(TABLE)).table().tableArn();

    assertThat(dynamo.client.getItem(b -> b.tableName(arn).key(Map.of("pk", s("k")))).item().get("v").s())
        .isEqualTo("x");
  }

  // ------------------------------------------------------------------ item size

  /** An item of exactly {@code size} bytes as the Developer Guide counts them: names plus values. */
  private static Map<String, AttributeValue> itemOfSize(int size) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s("k"));
    // "pk" + "k" = 3 bytes, "data" = 4 bytes: the string fills the rest.
    item.put("data", s("x".repeat(size - 7)));
    return item;
  }

  @Test
  void anItemOfExactly400KbIsAcceptedAndOneByteMoreIsNot() {
    assertThatCode(() -> dynamo.put(TABLE, itemOfSize(400 * 1024))).doesNotThrowAnyException();
    assertValidation(() -> dynamo.put(TABLE, itemOfSize(400 * 1024 + 1)),
        "Item size has exceeded the maximum allowed size");
  }

  @Test
  void attributeNamesCountTowardsTheItemSize() {
    Map<String, AttributeValue> item = itemOfSize(400 * 1024);
    item.remove("data");
    // The same 409,593 value bytes under a longer name push the item over.
    item.put("data-longer", s("x".repeat(400 * 1024 - 7)));

    assertValidation(() -> dynamo.put(TABLE, item), "Item size has exceeded the maximum allowed size");
  }

  @Test
  void mapsCountThreeBytesPlusOnePerElementAndTheirNames() {
    // "pk"+"k" (3) + "m" (1) + map overhead 3 + element overhead 1 + "s" (1) + value
    int value = 400 * 1024 - 9;
    Map<String, AttributeValue> fits = Map.of("pk", s("k"), "m", AttributeValue.fromM(Map.of("s", s("x".repeat(value)))));
    Map<String, AttributeValue> over = Map.of("pk", s("k"),
        "m", AttributeValue.fromM(Map.of("s", s("x".repeat(value + 1)))));

    assertThatCode(() -> dynamo.put(TABLE, fits)).doesNotThrowAnyException();
    assertValidation(() -> dynamo.put(TABLE, over), "Item size has exceeded the maximum allowed size");
  }

  @Test
  void multiByteCharactersCountByTheirUtf8Bytes() {
    // "é" is two bytes in UTF-8: half as many fit.
    Map<String, AttributeValue> item = Map.of("pk", s("k"), "data", s("é".repeat((400 * 1024 - 7) / 2 + 1)));

    assertValidation(() -> dynamo.put(TABLE, item), "Item size has exceeded the maximum allowed size");
  }
}
