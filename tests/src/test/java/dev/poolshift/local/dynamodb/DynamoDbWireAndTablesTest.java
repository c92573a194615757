package dev.poolshift.local.dynamodb;

import static dev.poolshift.local.dynamodb.LocalDynamoDb.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The wire (headers, error bodies) and the table operations, against virtual time. */
class DynamoDbWireAndTablesTest {
  private final LocalDynamoDb dynamo = new LocalDynamoDb().table("things", "pk", ScalarAttributeType.S, null, null);

  @AfterEach
  void close() {
    dynamo.close();
  }

  // ------------------------------------------------------------------ the wire

  @Test
  void responsesCarryARequestIdAndTheCrc32OfTheirBody() throws Exception {
    HttpResponse<String> r = dynamo.raw("DynamoDB_20120810.ListTables", "{}");

    CRC32 crc = new CRC32();
    crc.update(r.body().getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-amz-crc32")).hasValue(Long.toString(crc.getValue()));
    assertThat(r.headers().firstValue("x-amzn-RequestId")).hasValueSatisfying(id -> assertThat(id).hasSize(52));
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
  }

  @Test
  void errorsUseTheNamespacesDynamoDbUses() throws Exception {
    JsonNode notFound = LocalJson.parse(dynamo.raw("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"nope\"}").body());
    JsonNode invalid = LocalJson.parse(dynamo.raw("DynamoDB_20120810.GetItem",
        "{\"TableName\":\"things\",\"Key\":{\"pk\":{\"N\":\"1\"}}}").body());
    HttpResponse<String> unknown = dynamo.raw("DynamoDB_20120810.NoSuchOperation", "{}");
    JsonNode garbled = LocalJson.parse(dynamo.raw("DynamoDB_20120810.ListTables", "{not json").body());

    assertThat(notFound.path("__type").asText()).isEqualTo("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
    assertThat(notFound.path("message").asText()).isEqualTo("Requested resource not found");
    assertThat(invalid.path("__type").asText()).isEqualTo("com.amazon.coral.validate#ValidationException");
    assertThat(invalid.path("message").asText()).isEqualTo("The provided key element does not match the schema");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(LocalJson.parse(unknown.body()).path("__type").asText())
        .isEqualTo("com.amazon.coral.service#UnknownOperationException");
    assertThat(garbled.path("__type").asText()).isEqualTo("com.amazon.coral.service#SerializationException");
  }

  @Test
  void aConditionalCheckFailureBodyHasItsMessageAndTheOldItem() throws Exception {
    dynamo.put("things", Map.of("pk", s("a"), "v", s("old")));

    JsonNode body = LocalJson.parse(dynamo.raw("DynamoDB_20120810.PutItem", """
        {"TableName":"things","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)",
         "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}""").body());

    assertThat(body.path("__type").asText()).isEqualTo("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
    assertThat(body.path("message").asText()).isEqualTo("The conditional request failed");
    assertThat(body.at("/Item/v/S").asText()).isEqualTo("old");
  }

  @Test
  void aCancelledTransactionSpellsItsMessageMemberWithACapital() throws Exception {
    dynamo.put("things", Map.of("pk", s("a")));

    JsonNode body = LocalJson.parse(dynamo.raw("DynamoDB_20120810.TransactWriteItems", """
        {"TransactItems":[{"Put":{"TableName":"things","Item":{"pk":{"S":"a"}},
         "ConditionExpression":"attribute_not_exists(pk)"}}]}""").body());

    assertThat(body.path("Message").asText()).isEqualTo("Transaction cancelled, please refer cancellation reasons for "
        + "specific reasons [ConditionalCheckFailed]");
    assertThat(body.at("/CancellationReasons/0/Code").asText()).isEqualTo("ConditionalCheckFailed");
  }

  @Test
  void tablesBelongToTheRegionTheClientSignsFor() {
    try (DynamoDbClient west = DynamoDbClient.builder().endpointOverride(dynamo.gateway.endpoint())
        .region(Region.US_WEST_2)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThat(west.listTables().tableNames()).isEmpty();
    }
    assertThat(dynamo.client.listTables().tableNames()).containsExactly("things");
  }

  // ------------------------------------------------------------------ tables

  @Test
  void aTableIsCreatedAtTheVirtualTimeAndDescribedActive() {
    dynamo.sim.advance(Duration.ofMinutes(30));
    dynamo.table("later", "pk", ScalarAttributeType.S, null, null);

    var table = dynamo.client.describeTable(b -> b.tableName("later")).table();

    assertThat(table.creationDateTime()).isEqualTo(dynamo.sim.now());
    assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
    assertThat(table.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:111122223333:table/later");
  }

  @Test
  void itemCountIsRefreshedEverySixHoursAsDynamoDbDocuments() {
    dynamo.put("things", Map.of("pk", s("a")));

    long before = dynamo.client.describeTable(b -> b.tableName("things")).table().itemCount();
    dynamo.sim.advance(Duration.ofHours(6));
    long after = dynamo.client.describeTable(b -> b.tableName("things")).table().itemCount();

    assertThat(before).isZero();
    assertThat(after).isEqualTo(1);
  }

  @Test
  void creatingAnExistingTableIsRefused() {
    assertThatThrownBy(() -> dynamo.table("things", "pk", ScalarAttributeType.S, null, null))
        .isInstanceOfSatisfying(ResourceInUseException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Table already exists: things"));
  }

  @Test
  void aTableNameIsCheckedBeforeAnythingElse() {
    assertThatThrownBy(() -> dynamo.client.describeTable(b -> b.tableName("ab")))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member "
                + "must have length greater than or equal to 3"));
  }

  @Test
  void aKeyAttributeWithoutADefinitionIsRefused() {
    assertThatThrownBy(() -> dynamo.client.createTable(b -> b.tableName("bad").billingMode("PAY_PER_REQUEST")
        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("id").keyType("HASH"))))
        .hasMessageStartingWith("Invalid KeySchema: Some index key attribute have no definition");
  }

  @Test
  void aDeletedTableIsGone() {
    var deleted = dynamo.client.deleteTable(b -> b.tableName("things")).tableDescription();

    assertThat(deleted.tableStatus()).isEqualTo(TableStatus.DELETING);
    assertThatThrownBy(() -> dynamo.client.describeTable(b -> b.tableName("things")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void listTablesPages() {
    dynamo.table("things2", "pk", ScalarAttributeType.S, null, null)
        .table("things3", "pk", ScalarAttributeType.S, null, null);

    var first = dynamo.client.listTables(b -> b.limit(2));
    var rest = dynamo.client.listTables(b -> b.exclusiveStartTableName(first.lastEvaluatedTableName()));

    assertThat(first.tableNames()).containsExactly("things", "things2");
    assertThat(rest.tableNames()).containsExactly("things3");
    assertThat(rest.lastEvaluatedTableName()).isNull();
  }

  @Test
  void timeToLiveCanChangeOnlyOnceAnHourOfVirtualTime() {
    dynamo.client.updateTimeToLive(b -> b.tableName("things")
        .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));

    assertThatThrownBy(() -> dynamo.client.updateTimeToLive(b -> b.tableName("things")
        .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(false))))
        .hasMessageStartingWith("Time to live has been modified multiple times within a fixed interval");
    dynamo.sim.advance(Duration.ofHours(1));
    dynamo.client.updateTimeToLive(b -> b.tableName("things")
        .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(false)));

    assertThat(dynamo.client.describeTimeToLive(b -> b.tableName("things")).timeToLiveDescription()
        .timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
  }

  @Test
  void expiredItemsAreKeptAndStillRead() {
    dynamo.client.updateTimeToLive(b -> b.tableName("things")
        .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
    dynamo.put("things", Map.of("pk", s("a"), "expiresAt", LocalDynamoDb.n("1")));

    dynamo.sim.advance(Duration.ofDays(1));

    assertThat(dynamo.get("things", Map.of("pk", s("a")))).isNotNull();
  }
}
