package dev.poolshift.aws;

import static dev.poolshift.aws.DynamoValues.of;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The settle note of an endpoint ({@code ENDPOINT#<ep> / SETTLED}): written by an endpoint event
 * that found no wait parked (or a move that sent nothing), taken by the next wait in one
 * {@code DeleteItem} that returns what it deleted, so a note is seen by exactly one wait. Kept
 * under the state table's TTL ({@code expiresAt}) when no wait takes it. Beside it, the sightings
 * of endpoint changes ({@code SEEN#<status>@<modified>@<config>}), which tell copies of one event
 * apart.
 */
final class DynamoSettleNotes {
  private static final String SETTLED = "SETTLED";
  private static final String SEEN = "SEEN#";
  /** How long a note no wait takes is kept (the table's TTL removes it). */
  private static final Duration KEPT_FOR = Duration.ofHours(1);
  private final DynamoDbClient dynamo;
  private final String table;

  DynamoSettleNotes(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  void mark(String endpointName, Instant at) {
    Instant expiresAt = at.plus(KEPT_FOR);
    try {
      dynamo.updateItem(b -> b.tableName(table).key(key(endpointName))
          .updateExpression("SET settledAt = :at, expiresAt = :exp").expressionAttributeValues(
              Map.of(":at", of(at.toString()), ":exp", of(expiresAt.getEpochSecond()))));
    } catch (SdkException e) {
      throw AwsErrors.translate("UpdateItem " + SETTLED + " of " + endpointName, e);
    }
  }

  Optional<Instant> take(String endpointName) {
    try {
      Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
          .key(key(endpointName)).returnValues(ReturnValue.ALL_OLD)).attributes();
      return old.containsKey("settledAt")
          ? Optional.of(RolloutStoreItems.instant(DynamoValues.string(old, "settledAt")))
          : Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.translate("DeleteItem " + SETTLED + " of " + endpointName, e);
    }
  }

  /** See {@link dev.poolshift.rollout.port.RolloutStore#firstSighting}. */
  boolean firstSighting(String endpointName, String sighting, String eventId, Instant at) {
    Instant expiresAt = at.plus(KEPT_FOR);
    try {
      dynamo.updateItem(b -> b.tableName(table)
          .key(Map.of("pk", of(DynamoRolloutStore.endpointKey(endpointName)), "sk", of(SEEN + sighting)))
          .updateExpression("SET eventId = :id, expiresAt = :exp")
          .conditionExpression("attribute_not_exists(pk) OR eventId = :id")
          .expressionAttributeValues(Map.of(":id", of(eventId), ":exp", of(expiresAt.getEpochSecond()))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw AwsErrors.translate("UpdateItem " + SEEN + sighting + " of " + endpointName, e);
    }
  }

  private static Map<String, AttributeValue> key(String endpointName) {
    return Map.of("pk", of(DynamoRolloutStore.endpointKey(endpointName)), "sk", of(SETTLED));
  }
}
