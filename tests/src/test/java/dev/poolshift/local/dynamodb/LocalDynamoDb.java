package dev.poolshift.local.dynamodb;

import dev.poolshift.local.LocalClients;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.sim.Simulation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One local DynamoDB on its own gateway, with a real SDK client pointed at it: what a function,
 * the AWS CLI or a user's SDK talks to.
 */
final class LocalDynamoDb implements AutoCloseable {
  final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  final DynamoDbService service = new DynamoDbService(sim, AwsContext.DEFAULT);
  final Gateway gateway = Gateway.start(0);
  final DynamoDbClient client;

  LocalDynamoDb() {
    gateway.register(service);
    client = LocalClients.against(DynamoDbClient.builder(), gateway.endpoint());
  }

  /** An on-demand table with a partition key and, when {@code sortKey} is not null, a sort key. */
  LocalDynamoDb table(String name, String partitionKey, ScalarAttributeType partitionType, String sortKey,
      ScalarAttributeType sortType) {
    client.createTable(b -> {
      b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
      if (sortKey == null) {
        b.attributeDefinitions(a -> a.attributeName(partitionKey).attributeType(partitionType))
            .keySchema(k -> k.attributeName(partitionKey).keyType(KeyType.HASH));
      } else {
        b.attributeDefinitions(a -> a.attributeName(partitionKey).attributeType(partitionType),
                a -> a.attributeName(sortKey).attributeType(sortType))
            .keySchema(k -> k.attributeName(partitionKey).keyType(KeyType.HASH),
                k -> k.attributeName(sortKey).keyType(KeyType.RANGE));
      }
    });
    return this;
  }

  LocalDynamoDb put(String table, Map<String, AttributeValue> item) {
    client.putItem(b -> b.tableName(table).item(item));
    return this;
  }

  Map<String, AttributeValue> get(String table, Map<String, AttributeValue> key) {
    var response = client.getItem(b -> b.tableName(table).key(key).consistentRead(true));
    return response.hasItem() ? response.item() : null;
  }

  /** A request as raw bytes on the wire, for what the SDK hides (headers, the error body). */
  HttpResponse<String> raw(String target, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/"))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", target)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260601/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host;x-amz-target, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  @Override
  public void close() {
    client.close();
    gateway.close();
    sim.close();
  }
}
