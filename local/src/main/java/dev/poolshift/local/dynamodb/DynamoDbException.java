package dev.poolshift.local.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.json.LocalJson;

/**
 * A DynamoDB error as the service sends it: HTTP 400, a {@code __type} in the namespace DynamoDB
 * uses for that code, a message, and for some codes more members ({@code Item} of a failed
 * condition, {@code CancellationReasons} of a cancelled transaction).
 */
final class DynamoDbException extends AwsServiceException {
  private static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";
  private static final String CORAL_VALIDATE = "com.amazon.coral.validate#";
  private static final String CORAL_SERVICE = "com.amazon.coral.service#";

  private final transient ObjectNode members;

  private DynamoDbException(String code, String message, ObjectNode members) {
    super(400, code, message);
    this.members = members;
  }

  static DynamoDbException of(String code, String message) {
    return new DynamoDbException(code, message, LocalJson.object());
  }

  static DynamoDbException validation(String message) {
    return of("ValidationException", message);
  }

  static DynamoDbException serialization(String message) {
    return of("SerializationException", message);
  }

  static DynamoDbException notFound(String message) {
    return of("ResourceNotFoundException", message);
  }

  /** The error for a table (or index) that does not exist in this account and Region. */
  static DynamoDbException tableNotFound() {
    return notFound("Requested resource not found");
  }

  static DynamoDbException conditionFailed(ObjectNode item) {
    ObjectNode members = LocalJson.object();
    if (item != null) {
      members.set("Item", item);
    }
    return new DynamoDbException("ConditionalCheckFailedException", "The conditional request failed", members);
  }

  static DynamoDbException transactionCanceled(String message, ObjectNode members) {
    return new DynamoDbException("TransactionCanceledException", message, members);
  }

  /**
   * The response body. DynamoDB reports validation errors in the Coral validation namespace and
   * unknown operations and unreadable bodies in the Coral service namespace; everything else is in
   * its own. The message member is {@code Message} where the error shape models it (a cancelled
   * transaction), {@code message} otherwise.
   */
  ObjectNode body() {
    String code = code();
    String namespace = switch (code) {
      case "ValidationException" -> CORAL_VALIDATE;
      case "UnknownOperationException", "SerializationException" -> CORAL_SERVICE;
      default -> DYNAMODB;
    };
    ObjectNode body = LocalJson.object().put("__type", namespace + code);
    body.setAll(members.deepCopy());
    body.put(code.equals("TransactionCanceledException") ? "Message" : "message", getMessage());
    return body;
  }

  /** The extra members (a copy), for callers of the service that are not on the wire. */
  ObjectNode members() {
    return members.deepCopy();
  }
}
