package dev.poolshift.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DynamoDB's request contexts, read from the JSON 1.0 input (Service Authorization Reference,
 * "Amazon DynamoDB"; the developer guide's "Using IAM with DynamoDB transactions"):
 * <ul>
 *   <li>item and table actions are authorized against the table's ARN, a query or scan of an
 *       index against {@code table/<name>/index/<index>};</li>
 *   <li>a transaction has no action of its own: each of its items needs the item action
 *       ({@code PutItem}, {@code UpdateItem}, {@code DeleteItem}, {@code ConditionCheckItem},
 *       {@code GetItem}) on its table, with {@code dynamodb:EnclosingOperation} naming the
 *       transaction; a batch needs the batch action on every table it touches;</li>
 *   <li>condition keys: {@code dynamodb:LeadingKeys} (the partition key value of an item action,
 *       or the one a query's key condition fixes), {@code dynamodb:ReturnValues},
 *       {@code dynamodb:ReturnConsumedCapacity}, {@code dynamodb:Select} when the request sets them.
 *       {@code dynamodb:Attributes} is not put in the context (not modelled).</li>
 * </ul>
 */
final class DynamoDbRequests implements ServiceRequests {
  private static final Pattern EQUALS = Pattern.compile("([#A-Za-z0-9_.]+)\\s*=\\s*(:[A-Za-z0-9_]+)");
  private final AwsContext aws;
  private final Function<String, String> partitionKeyOf;

  /** @param partitionKeyOf a table's partition key attribute by table name, or null when unknown */
  DynamoDbRequests(AwsContext aws, Function<String, String> partitionKeyOf) {
    this.aws = aws;
    this.partitionKeyOf = partitionKeyOf;
  }

  @Override
  public String signingName() {
    return "dynamodb";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    ObjectNode in = r.document();
    return switch (op) {
      case "GetItem", "PutItem", "UpdateItem", "DeleteItem" -> List.of(item(op, r.required("TableName"), in, null));
      case "Query", "Scan" -> {
        String table = r.required("TableName");
        String index = r.text("IndexName");
        Authorization a = new Authorization("dynamodb:" + op, index == null ? table(table)
            : table(table) + "/index/" + index, common(in));
        a.context().put("dynamodb:Select", r.text("Select"));
        if (op.equals("Query")) {
          String leading = queryPartitionValue(table, in);
          if (leading != null) {
            a.context().putAll("dynamodb:LeadingKeys", List.of(leading));
          }
        }
        yield List.of(a);
      }
      case "BatchGetItem", "BatchWriteItem" -> {
        List<Authorization> out = new ArrayList<>();
        JsonNode items = in.get("RequestItems");
        if (items == null || !items.isObject() || items.isEmpty()) {
          throw new MissingMemberException("RequestItems");
        }
        items.fieldNames().forEachRemaining(t -> out.add(new Authorization("dynamodb:" + op, table(t), common(in))));
        yield out;
      }
      case "TransactWriteItems", "TransactGetItems" -> transaction(op, in);
      case "DescribeTable", "CreateTable", "DeleteTable", "UpdateTable", "UpdateTimeToLive", "DescribeTimeToLive",
          "DescribeContinuousBackups" -> List.of(Authorization.of("dynamodb:" + op, table(r.required("TableName"))));
      case "TagResource", "UntagResource", "ListTagsOfResource" ->
          List.of(Authorization.of("dynamodb:" + op, r.required("ResourceArn")));
      case "ListTables", "DescribeLimits", "DescribeEndpoints" -> List.of(Authorization.of("dynamodb:" + op, "*"));
      default -> throw new UnmappedOperationException("dynamodb", op);
    };
  }

  private String table(String name) {
    return name.startsWith("arn:") ? name : aws.arn("dynamodb", "table/" + name);
  }

  private List<Authorization> transaction(String op, ObjectNode in) {
    JsonNode items = in.get("TransactItems");
    if (items == null || !items.isArray() || items.isEmpty()) {
      throw new MissingMemberException("TransactItems");
    }
    List<Authorization> out = new ArrayList<>();
    for (JsonNode item : items) {
      for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String action = switch (e.getKey()) {
          case "Put" -> "PutItem";
          case "Update" -> "UpdateItem";
          case "Delete" -> "DeleteItem";
          case "ConditionCheck" -> "ConditionCheckItem";
          case "Get" -> "GetItem";
          default -> throw new UnmappedOperationException("dynamodb", op + " " + e.getKey());
        };
        String table = e.getValue().path("TableName").asText(null);
        if (table == null) {
          throw new MissingMemberException("TransactItems[].TableName");
        }
        Authorization a = item(action, table, e.getValue(), in);
        a.context().put("dynamodb:EnclosingOperation", op);
        out.add(a);
      }
    }
    return out;
  }

  /** An item action on {@code table}: its partition key value and the request's return settings. */
  private Authorization item(String action, String table, JsonNode in, JsonNode outer) {
    RequestContext c = common(outer != null ? outer : in);
    c.put("dynamodb:ReturnValues", text(in, "ReturnValues"));
    String pk = partitionKeyOf.apply(table);
    JsonNode key = in.has("Item") ? in.get("Item") : in.get("Key");
    if (pk != null && key != null && key.has(pk)) {
      String value = attributeValue(key.get(pk));
      if (value != null) {
        c.putAll("dynamodb:LeadingKeys", List.of(value));
      }
    }
    return new Authorization("dynamodb:" + action, table(table), c);
  }

  private static RequestContext common(JsonNode in) {
    return new RequestContext().put("dynamodb:ReturnConsumedCapacity", text(in, "ReturnConsumedCapacity"));
  }

  /** The partition key value a query's {@code pk = :v} fixes, resolving names and values; null if none. */
  private String queryPartitionValue(String table, JsonNode in) {
    String pk = partitionKeyOf.apply(table);
    String expression = text(in, "KeyConditionExpression");
    if (pk == null || expression == null) {
      return null;
    }
    Matcher m = EQUALS.matcher(expression);
    while (m.find()) {
      String name = m.group(1);
      if (name.startsWith("#")) {
        name = in.path("ExpressionAttributeNames").path(name).asText(name);
      }
      if (name.equals(pk)) {
        return attributeValue(in.path("ExpressionAttributeValues").get(m.group(2)));
      }
    }
    return null;
  }

  /** The text of a typed attribute value ({"S": "x"} is x); null for other shapes. */
  private static String attributeValue(JsonNode typed) {
    if (typed == null || !typed.isObject() || typed.size() != 1) {
      return null;
    }
    JsonNode v = typed.elements().next();
    return v.isValueNode() ? v.asText() : null;
  }

  private static String text(JsonNode in, String member) {
    JsonNode v = in == null ? null : in.get(member);
    return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
  }
}
