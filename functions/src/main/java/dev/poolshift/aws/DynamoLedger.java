package dev.poolshift.aws;

import static dev.poolshift.aws.DynamoValues.of;

import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.LedgerRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link Ledger} on the DynamoDB ledger table: {@code pk = ENDPOINT#<ep>},
 * {@code sk = <startedAt>#<executionName>} with a fixed-width UTC timestamp so the sort key
 * orders by time (Instant.toString drops zero fractions, which would misorder within a second).
 * No TTL: the ledger outlives Step Functions' history.
 */
public final class DynamoLedger implements Ledger {
  static final DateTimeFormatter SORTABLE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoLedger(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public void put(LedgerRecord r) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", of(DynamoRolloutStore.endpointKey(r.endpointName())));
    item.put("sk", of(SORTABLE.format(r.startedAt()) + "#" + r.executionName()));
    item.put("endpointName", of(r.endpointName()));
    item.put("executionName", of(r.executionName()));
    item.put("executionArn", of(r.executionArn()));
    item.put("outcome", of(r.outcome()));
    item.put("modelPackageArn", of(r.modelPackageArn()));
    item.put("configBefore", of(r.configBefore()));
    item.put("configAfter", of(r.configAfter()));
    item.put("startedAt", of(r.startedAt().toString()));
    item.put("endedAt", of(r.endedAt().toString()));
    // Details may hold typed values (the history): stored as the JSON they serialise to.
    item.put("details", of(Json.MAPPER.convertValue(r.details(), Map.class)));
    try {
      dynamo.putItem(b -> b.tableName(table).item(item));
    } catch (SdkException e) {
      throw AwsErrors.translate("PutItem ledger record of " + r.endpointName(), e);
    }
  }

  @Override
  public List<LedgerRecord> latest(String endpointName, int limit) {
    QueryResponse page;
    try {
      page = dynamo.query(b -> b.tableName(table)
          .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", "pk"))
          .expressionAttributeValues(Map.of(":pk", of(DynamoRolloutStore.endpointKey(endpointName))))
          .scanIndexForward(false).limit(limit));
    } catch (SdkException e) {
      throw AwsErrors.translate("Query ledger of " + endpointName, e);
    }
    return page.items().stream().map(item -> new LedgerRecord(
        DynamoValues.string(item, "endpointName"), Instant.parse(DynamoValues.string(item, "startedAt")),
        DynamoValues.string(item, "executionName"), DynamoValues.string(item, "executionArn"),
        Outcome.valueOf(DynamoValues.string(item, "outcome")), DynamoValues.string(item, "modelPackageArn"),
        DynamoValues.string(item, "configBefore"), DynamoValues.string(item, "configAfter"),
        Instant.parse(DynamoValues.string(item, "endedAt")), DynamoValues.map(item, "details")))
        .toList();
  }
}
