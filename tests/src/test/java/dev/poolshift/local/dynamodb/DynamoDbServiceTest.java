package dev.poolshift.local.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.template.SamTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The local DynamoDB behind the gateway, with the template's tables, through the real SDK client. */
class DynamoDbServiceTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("tests/src/test/resources/template/app.yaml"));

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable r : resources.reversed()) {
      r.close();
    }
  }

  private record Runtime(DynamoDbService service, DynamoDbClient client) {}

  /** One runtime's DynamoDB: its own service instance, gateway and client, with the template's tables. */
  private Runtime runtime(String clientAccessKey) {
    DynamoDbService service = new DynamoDbService(Simulation.discrete(Simulation.DEFAULT_EPOCH), AwsContext.DEFAULT);
    service.createTables(TEMPLATE.tables().values());
    Gateway gateway = Gateway.start(0);
    gateway.register(service);
    DynamoDbClient client = DynamoDbClient.builder()
        .endpointOverride(gateway.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(clientAccessKey, "secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    resources.add(gateway);
    resources.add(client);
    return new Runtime(service, client);
  }

  private static Map<String, AttributeValue> lock(String endpoint, String owner) {
    return Map.of("endpointName", AttributeValue.fromS(endpoint), "owner", AttributeValue.fromS(owner));
  }

  @Test
  void theTemplatesTablesExistWithTheirKeysIndexesStreamsAndTtl() {
    DynamoDbClient client = runtime("AKIDTEST").client();

    TableDescription rollouts = client.describeTable(r -> r.tableName("poolshift-RolloutsTable")).table();

    assertThat(rollouts.keySchema()).containsExactly(
        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
    assertThat(rollouts.attributeDefinitions()).extracting(a -> a.attributeName() + ":" + a.attributeTypeAsString())
        .containsExactlyInAnyOrder("pk:S", "sk:S", "status:S", "createdAt:S");
    assertThat(rollouts.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThat(rollouts.globalSecondaryIndexes()).singleElement().satisfies(gsi -> {
      assertThat(gsi.indexName()).isEqualTo("ByStatus");
      assertThat(gsi.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
    });
    assertThat(rollouts.localSecondaryIndexes()).singleElement().satisfies(lsi -> {
      assertThat(lsi.indexName()).isEqualTo("ByCreated");
      assertThat(lsi.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("pk", "createdAt");
      assertThat(lsi.projection().projectionType()).isEqualTo(ProjectionType.INCLUDE);
      assertThat(lsi.projection().nonKeyAttributes()).containsExactly("status");
    });
    assertThat(rollouts.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
    assertThat(rollouts.tableArn()).isEqualTo(TEMPLATE.getAtt("RolloutsTable", "Arn"));
    assertThat(client.describeTimeToLive(r -> r.tableName("poolshift-RolloutsTable")).timeToLiveDescription())
        .satisfies(ttl -> {
          assertThat(ttl.attributeName()).isEqualTo("expiresAt");
          assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        });
    assertThat(client.listTables().tableNames()).containsExactlyInAnyOrder("poolshift-RolloutsTable",
        "poolshift-LocksTable");
  }

  @Test
  void aConditionalWriteFailsLikeDynamoDbWhenTheConditionDoesNotHold() {
    DynamoDbClient client = runtime("AKIDTEST").client();
    client.putItem(r -> r.tableName("poolshift-LocksTable").item(lock("fraud", "exec-1"))
        .conditionExpression("attribute_not_exists(endpointName)"));

    assertThatThrownBy(() -> client.putItem(r -> r.tableName("poolshift-LocksTable").item(lock("fraud", "exec-2"))
        .conditionExpression("attribute_not_exists(endpointName)")))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(client.getItem(r -> r.tableName("poolshift-LocksTable")
        .key(Map.of("endpointName", AttributeValue.fromS("fraud")))).item().get("owner").s()).isEqualTo("exec-1");
  }

  @Test
  void twoRuntimesInOneJvmDoNotSeeEachOthersData() {
    Runtime first = runtime("SAMEKEY");
    Runtime second = runtime("SAMEKEY");

    first.client().putItem(r -> r.tableName("poolshift-LocksTable").item(lock("fraud", "exec-1")));

    assertThat(second.client().getItem(r -> r.tableName("poolshift-LocksTable")
        .key(Map.of("endpointName", AttributeValue.fromS("fraud")))).hasItem()).isFalse();
  }

  @Test
  void tableArnsInRequestsAreUnderstood() {
    DynamoDbClient client = runtime("AKIDTEST").client();

    String arn = String.valueOf(TEMPLATE.getAtt("LocksTable", "Arn"));

    assertThat(client.describeTable(r -> r.tableName(arn)).table().tableName()).isEqualTo("poolshift-LocksTable");
  }

  @Test
  void directCallsReportDynamoDbErrorCodes() {
    DynamoDbService service = runtime("AKIDTEST").service();

    assertThatThrownBy(() -> service.call("DescribeTable", LocalJson.object().put("TableName", "nope")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.code()).isEqualTo("ResourceNotFoundException");
          assertThat(e.status()).isEqualTo(400);
        });
    assertThat(service.call("DescribeTable", LocalJson.object().put("TableName", "poolshift-LocksTable"))
        .at("/Table/TableStatus").asText()).isEqualTo("ACTIVE");
  }

}
