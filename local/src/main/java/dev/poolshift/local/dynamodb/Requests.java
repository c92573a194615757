package dev.poolshift.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.dynamodb.Expr.Condition;
import dev.poolshift.local.dynamodb.Expr.DocPath;
import dev.poolshift.local.dynamodb.Expr.Update;
import dev.poolshift.local.dynamodb.ExpressionParser.KeyTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every item operation checks in a request before it looks at a table: the legacy
 * parameters, the placeholders, and the expressions, parsed. DynamoDB makes these checks first,
 * so a bad expression is a ValidationException even for a table that does not exist.
 */
final class Requests {
  static final String[] RETURN_CONSUMED_CAPACITY = {"INDEXES", "TOTAL", "NONE"};
  static final String[] RETURN_ITEM_COLLECTION_METRICS = {"SIZE", "NONE"};

  private Requests() {}

  /** The expressions of one request, parsed and checked, and its placeholders all used. */
  record Expressions(Condition condition, Update update, List<KeyTerm> keyCondition, Condition filter,
      List<DocPath> projection) {}

  /**
   * Checks and parses a request's expressions.
   *
   * @param valueExpressions the expressions of this operation that take {@code :values}, in the
   *     order DynamoDB names them in "ExpressionAttributeValues can only be specified when..."
   * @param legacy the operation's pre-expression parameters, which this simulator does not take
   */
  static Expressions expressions(JsonNode r, List<String> valueExpressions, boolean projection,
      List<String> legacy) {
    List<String> all = new ArrayList<>(valueExpressions);
    if (projection) {
      all.add("ProjectionExpression");
    }
    List<String> used = all.stream().filter(e -> ExpressionContext.present(r.get(e))).toList();
    List<String> legacyUsed = legacy.stream().filter(e -> ExpressionContext.present(r.get(e))).toList();
    if (!legacyUsed.isEmpty()) {
      if (!used.isEmpty()) {
        throw DynamoDbException.validation("Can not use both expression and non-expression parameters in the same "
            + "request: Non-expression parameters: {" + String.join(", ", legacyUsed) + "} Expression parameters: {"
            + String.join(", ", used) + "}");
      }
      throw DynamoDbException.validation("The local DynamoDB does not implement the legacy parameter"
          + (legacyUsed.size() > 1 ? "s " : " ") + String.join(", ", legacyUsed) + "; use expressions instead");
    }
    JsonNode names = r.get("ExpressionAttributeNames");
    JsonNode values = r.get("ExpressionAttributeValues");
    if (ExpressionContext.present(names) && used.isEmpty()) {
      throw DynamoDbException.validation("ExpressionAttributeNames can only be specified when using expressions");
    }
    if (ExpressionContext.present(values) && !valueExpressions.isEmpty()
        && valueExpressions.stream().noneMatch(e -> ExpressionContext.present(r.get(e)))) {
      throw DynamoDbException.validation("ExpressionAttributeValues can only be specified when using expressions: "
          + String.join(" and ", valueExpressions) + (valueExpressions.size() > 1 ? " are null" : " is null"));
    }
    for (String e : used) {
      if (!r.get(e).isTextual()) {
        throw DynamoDbException.serialization("Unexpected value type in payload");
      }
    }
    ExpressionContext context = ExpressionContext.of(names, values);
    Update update = used.contains("UpdateExpression")
        ? ExpressionParser.update(r.get("UpdateExpression").asText(), context) : null;
    Condition condition = used.contains("ConditionExpression")
        ? ExpressionParser.condition("ConditionExpression", r.get("ConditionExpression").asText(), context) : null;
    List<KeyTerm> keyCondition = used.contains("KeyConditionExpression")
        ? ExpressionParser.keyCondition(r.get("KeyConditionExpression").asText(), context) : null;
    Condition filter = used.contains("FilterExpression")
        ? ExpressionParser.condition("FilterExpression", r.get("FilterExpression").asText(), context) : null;
    List<DocPath> paths = used.contains("ProjectionExpression")
        ? ExpressionParser.projection(r.get("ProjectionExpression").asText(), context) : null;
    context.requireAllUsed();
    return new Expressions(condition, update, keyCondition, filter, paths);
  }

  static String text(JsonNode r, String member, String fallback) {
    JsonNode v = r.get(member);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  static Map<String, AttrValue> readMap(JsonNode r, String member) {
    Map<String, AttrValue> m = AttributeJson.readItem(r.get(member));
    return m == null ? Map.of() : m;
  }

  static void checkCommon(Constraints c, JsonNode r) {
    c.oneOf("returnConsumedCapacity", r.get("ReturnConsumedCapacity"), RETURN_CONSUMED_CAPACITY)
        .oneOf("returnItemCollectionMetrics", r.get("ReturnItemCollectionMetrics"), RETURN_ITEM_COLLECTION_METRICS);
  }

  // ================================================================== single-item operations
  static DynamoDbException invalid(String detail) {
    return DynamoDbException.validation("One or more parameter values were invalid: " + detail);
  }
}
