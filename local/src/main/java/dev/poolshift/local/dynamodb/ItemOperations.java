package dev.poolshift.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.dynamodb.AttrValue.B;
import dev.poolshift.local.dynamodb.AttrValue.S;
import dev.poolshift.local.dynamodb.Expr.Condition;
import dev.poolshift.local.dynamodb.Expr.DocPath;
import dev.poolshift.local.dynamodb.Expr.Update;
import dev.poolshift.local.dynamodb.Expr.UpdateAction;
import dev.poolshift.local.dynamodb.ExpressionParser.KeyTerm;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The item operations: GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem,
 * BatchWriteItem, TransactWriteItems, TransactGetItems.
 *
 * <p>Each request is checked in the order DynamoDB checks it: the request's shape, attribute
 * values, expressions and their placeholders (all before the table is looked up, so a bad
 * expression is a ValidationException even for a table that does not exist), then the table, then
 * keys against its schema, then the condition against the stored item. Reads are always strongly
 * consistent (an eventually consistent read may legally return the latest data).
 */
final class ItemOperations {
  /** 400 KB, names and values included. */
  static final long MAX_ITEM_BYTES = 400 * 1024;
  /** A Query or Scan reads at most 1 MB before it stops and returns a LastEvaluatedKey. */
  static final long MAX_PAGE_BYTES = 1024 * 1024;
  private static final int MAX_HASH_KEY_BYTES = 2048;
  private static final int MAX_RANGE_KEY_BYTES = 1024;
  private static final int MAX_TRANSACTION_ITEMS = 100;
  private static final int MAX_BATCH_GET_KEYS = 100;
  private static final int MAX_BATCH_WRITES = 25;
  /** A transaction's ClientRequestToken is remembered this long. */
  static final Duration IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);

  private static final String[] RETURN_VALUES = {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"};
  private static final String[] RETURN_CONSUMED_CAPACITY = {"INDEXES", "TOTAL", "NONE"};
  private static final String[] RETURN_ITEM_COLLECTION_METRICS = {"SIZE", "NONE"};
  private static final String[] SELECT = {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"};
  private static final String KEY_MISMATCH = "The provided key element does not match the schema";

  /** Remembered transaction tokens: token → (request fingerprint, when). */
  record TokenUse(String fingerprint, Instant at) {}

  private final Function<String, Table> tables;
  private final Supplier<Instant> clock;
  private final Map<String, TokenUse> tokens;

  ItemOperations(Function<String, Table> tables, Supplier<Instant> clock, Map<String, TokenUse> tokens) {
    this.tables = tables;
    this.clock = clock;
    this.tokens = tokens;
  }

  // ================================================================== requests and expressions

  /** The expressions of one request, parsed and checked, and its placeholders all used. */
  private record Expressions(Condition condition, Update update, List<KeyTerm> keyCondition, Condition filter,
      List<DocPath> projection) {}

  /**
   * Checks and parses a request's expressions.
   *
   * @param valueExpressions the expressions of this operation that take {@code :values}, in the
   *     order DynamoDB names them in "ExpressionAttributeValues can only be specified when..."
   * @param legacy the operation's pre-expression parameters, which this simulator does not take
   */
  private static Expressions expressions(JsonNode r, List<String> valueExpressions, boolean projection,
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

  private static String text(JsonNode r, String member, String fallback) {
    JsonNode v = r.get(member);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  private static Map<String, AttrValue> readMap(JsonNode r, String member) {
    Map<String, AttrValue> m = AttributeJson.readItem(r.get(member));
    return m == null ? Map.of() : m;
  }

  // ================================================================== keys and items against a schema

  /** Checks a {@code Key}: exactly the table's key attributes, of their types, not empty. */
  static Map<String, AttrValue> checkKey(Table t, Map<String, AttrValue> key) {
    if (key.size() != t.keys().size()) {
      throw DynamoDbException.validation(KEY_MISMATCH);
    }
    for (Table.KeyDef k : t.keys()) {
      AttrValue v = key.get(k.name());
      if (v == null || !v.type().equals(k.type())) {
        throw DynamoDbException.validation(KEY_MISMATCH);
      }
    }
    for (Table.KeyDef k : t.keys()) {
      checkNotEmpty(key.get(k.name()), k.name());
    }
    return t.keyOf(key);
  }

  private static void checkNotEmpty(AttrValue v, String attribute) {
    if (v instanceof S s && s.value().isEmpty()) {
      throw DynamoDbException.validation("One or more parameter values are not valid. The AttributeValue for a key "
          + "attribute cannot contain an empty string value. Key: " + attribute);
    }
    if (v instanceof B b && b.value().length() == 0) {
      throw DynamoDbException.validation("One or more parameter values are not valid. The AttributeValue for a key "
          + "attribute cannot contain an empty binary value. Key: " + attribute);
    }
  }

  /** Checks a whole item (PutItem, BatchWriteItem, a transaction's Put) against the table. */
  static void checkItem(Table t, Map<String, AttrValue> item) {
    for (Table.KeyDef k : t.keys()) {
      AttrValue v = item.get(k.name());
      if (v == null) {
        throw invalid("Missing the key " + k.name() + " in the item");
      }
      if (!v.type().equals(k.type())) {
        throw invalid("Type mismatch for key " + k.name() + " expected: " + k.type() + " actual: " + v.type());
      }
      checkNotEmpty(v, k.name());
    }
    if (keyBytes(item.get(t.hash.name())) > MAX_HASH_KEY_BYTES) {
      throw invalid("Size of hashkey has exceeded the maximum size limit of" + MAX_HASH_KEY_BYTES + " bytes");
    }
    if (t.range != null && keyBytes(item.get(t.range.name())) > MAX_RANGE_KEY_BYTES) {
      throw invalid("Aggregated size of all range keys has exceeded the size limit of " + MAX_RANGE_KEY_BYTES
          + " bytes");
    }
    checkIndexKeys(t, item);
  }

  /** Index key attributes an item has must be of the index's types and not empty. */
  static void checkIndexKeys(Table t, Map<String, AttrValue> item) {
    for (Table.Index i : t.indexes) {
      for (Table.KeyDef k : i.range() == null ? List.of(i.hash()) : List.of(i.hash(), i.range())) {
        AttrValue v = item.get(k.name());
        if (v == null) {
          continue;
        }
        if (!v.type().equals(k.type())) {
          throw invalid("Type mismatch for Index Key " + k.name() + " Expected: " + k.type() + " Actual: " + v.type()
              + " IndexName: " + i.name());
        }
        if ((v instanceof S s && s.value().isEmpty()) || (v instanceof B b && b.value().length() == 0)) {
          throw DynamoDbException.validation("One or more parameter values are not valid. A value specified for a "
              + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain an "
              + "empty " + (v instanceof S ? "string" : "binary") + " value. IndexName: " + i.name() + ", IndexKey: "
              + k.name());
        }
      }
    }
  }

  private static long keyBytes(AttrValue v) {
    return AttrValue.size(v);
  }

  private static void checkSize(Map<String, AttrValue> item, String message) {
    if (AttrValue.itemSize(item) > MAX_ITEM_BYTES) {
      throw DynamoDbException.validation(message);
    }
  }

  private static DynamoDbException invalid(String detail) {
    return DynamoDbException.validation("One or more parameter values were invalid: " + detail);
  }

  // ================================================================== writes

  /** One write, fully checked except against the stored item. */
  private sealed interface Write permits Put, UpdateWrite, Delete, Check {
    Table table();

    Map<String, AttrValue> key();

    Condition condition();

    boolean returnOldOnFailure();
  }

  private record Put(Table table, Map<String, AttrValue> key, Map<String, AttrValue> item, Condition condition,
      boolean returnOldOnFailure) implements Write {}

  private record UpdateWrite(Table table, Map<String, AttrValue> key, Update update, Condition condition,
      boolean returnOldOnFailure) implements Write {}

  private record Delete(Table table, Map<String, AttrValue> key, Condition condition, boolean returnOldOnFailure)
      implements Write {}

  private record Check(Table table, Map<String, AttrValue> key, Condition condition, boolean returnOldOnFailure)
      implements Write {}

  /** A write's effect: the item before and after (null when there is none). */
  private record Outcome(Map<String, AttrValue> before, Map<String, AttrValue> after) {}

  /**
   * Evaluates a write against the stored item (the caller holds the table's lock): the condition,
   * then the new item and the checks that depend on it.
   */
  private static Outcome evaluate(Write w) {
    Map<String, AttrValue> before = w.table().get(w.key());
    if (w.condition() != null && !Conditions.matches(w.condition(), before == null ? Map.of() : before)) {
      throw DynamoDbException.conditionFailed(w.returnOldOnFailure() && before != null
          ? AttributeJson.writeItem(before) : null);
    }
    return switch (w) {
      case Put p -> new Outcome(before, p.item());
      case Delete ignored -> new Outcome(before, null);
      case Check ignored -> new Outcome(before, before);
      case UpdateWrite u -> {
        Map<String, AttrValue> base = before != null ? before : u.key();
        Map<String, AttrValue> after = u.update() == null ? base : Updates.apply(u.update(), base);
        checkIndexKeys(u.table(), after);
        checkSize(after, "Item size to update has exceeded the maximum allowed size");
        yield new Outcome(before, after);
      }
    };
  }

  private static void commit(Write w, Outcome o) {
    switch (w) {
      case Put ignored -> w.table().put(o.after());
      case UpdateWrite ignored -> w.table().put(o.after());
      case Delete ignored -> w.table().delete(w.key());
      case Check ignored -> {
        // a condition check writes nothing
      }
    }
  }

  private static Outcome writeOne(Write w) {
    w.table().lock.lock();
    try {
      Outcome o = evaluate(w);
      commit(w, o);
      return o;
    } finally {
      w.table().lock.unlock();
    }
  }

  /** A parsed write that does not know its table yet: {@link #bind} checks it against one. */
  private interface Unbound {
    String tableName();

    Write bind(Table table);
  }

  private static Unbound parsePut(JsonNode r, String prefix) {
    new Constraints().tableName(prefix + "tableName", r.get("TableName")).required(prefix + "item", r.get("Item"))
        .oneOf(prefix + "returnValuesOnConditionCheckFailure", r.get("ReturnValuesOnConditionCheckFailure"),
            "ALL_OLD", "NONE")
        .check();
    Map<String, AttrValue> item = readMap(r, "Item");
    Expressions e = expressions(r, List.of("ConditionExpression"), false, List.of("Expected", "ConditionalOperator"));
    checkSize(item, "Item size has exceeded the maximum allowed size");
    boolean old = "ALL_OLD".equals(text(r, "ReturnValuesOnConditionCheckFailure", "NONE"));
    String name = r.get("TableName").asText();
    return new Unbound() {
      public String tableName() {
        return name;
      }

      public Write bind(Table t) {
        checkItem(t, item);
        return new Put(t, t.keyOf(item), item, e.condition(), old);
      }
    };
  }

  private static Unbound parseUpdate(JsonNode r, String prefix) {
    new Constraints().tableName(prefix + "tableName", r.get("TableName")).required(prefix + "key", r.get("Key"))
        .oneOf(prefix + "returnValuesOnConditionCheckFailure", r.get("ReturnValuesOnConditionCheckFailure"),
            "ALL_OLD", "NONE")
        .check();
    Map<String, AttrValue> key = readMap(r, "Key");
    Expressions e = expressions(r, List.of("UpdateExpression", "ConditionExpression"), false,
        List.of("AttributeUpdates", "Expected", "ConditionalOperator"));
    boolean old = "ALL_OLD".equals(text(r, "ReturnValuesOnConditionCheckFailure", "NONE"));
    String name = r.get("TableName").asText();
    return new Unbound() {
      public String tableName() {
        return name;
      }

      public Write bind(Table t) {
        Map<String, AttrValue> k = checkKey(t, key);
        if (e.update() != null) {
          checkUpdateTargets(t, e.update());
        }
        return new UpdateWrite(t, k, e.update(), e.condition(), old);
      }
    };
  }

  /** An update may not touch key attributes, nor reach inside an index key attribute. */
  private static void checkUpdateTargets(Table t, Update update) {
    for (UpdateAction a : update.actions()) {
      String head = a.path().head();
      if (t.isKey(head)) {
        throw invalid("Cannot update attribute " + head + ". This attribute is part of the key");
      }
    }
    for (UpdateAction a : update.actions()) {
      String head = a.path().head();
      boolean indexKey = t.indexes.stream().anyMatch(i -> i.hash().name().equals(head)
          || (i.range() != null && i.range().name().equals(head)));
      if (indexKey && a.path().nested()) {
        throw DynamoDbException.validation("Key attributes must be scalars; list random access '[]' and map lookup '.' "
            + "are not allowed: IndexKey: " + head);
      }
    }
  }

  private static Unbound parseDelete(JsonNode r, String prefix) {
    new Constraints().tableName(prefix + "tableName", r.get("TableName")).required(prefix + "key", r.get("Key"))
        .oneOf(prefix + "returnValuesOnConditionCheckFailure", r.get("ReturnValuesOnConditionCheckFailure"),
            "ALL_OLD", "NONE")
        .check();
    Map<String, AttrValue> key = readMap(r, "Key");
    Expressions e = expressions(r, List.of("ConditionExpression"), false, List.of("Expected", "ConditionalOperator"));
    boolean old = "ALL_OLD".equals(text(r, "ReturnValuesOnConditionCheckFailure", "NONE"));
    String name = r.get("TableName").asText();
    return new Unbound() {
      public String tableName() {
        return name;
      }

      public Write bind(Table t) {
        return new Delete(t, checkKey(t, key), e.condition(), old);
      }
    };
  }

  private static Unbound parseCheck(JsonNode r, String prefix) {
    new Constraints().tableName(prefix + "tableName", r.get("TableName")).required(prefix + "key", r.get("Key"))
        .required(prefix + "conditionExpression", r.get("ConditionExpression"))
        .oneOf(prefix + "returnValuesOnConditionCheckFailure", r.get("ReturnValuesOnConditionCheckFailure"),
            "ALL_OLD", "NONE")
        .check();
    Map<String, AttrValue> key = readMap(r, "Key");
    Expressions e = expressions(r, List.of("ConditionExpression"), false, List.of());
    boolean old = "ALL_OLD".equals(text(r, "ReturnValuesOnConditionCheckFailure", "NONE"));
    String name = r.get("TableName").asText();
    return new Unbound() {
      public String tableName() {
        return name;
      }

      public Write bind(Table t) {
        return new Check(t, checkKey(t, key), e.condition(), old);
      }
    };
  }

  private static void checkCommon(Constraints c, JsonNode r) {
    c.oneOf("returnConsumedCapacity", r.get("ReturnConsumedCapacity"), RETURN_CONSUMED_CAPACITY)
        .oneOf("returnItemCollectionMetrics", r.get("ReturnItemCollectionMetrics"), RETURN_ITEM_COLLECTION_METRICS);
  }

  // ================================================================== single-item operations

  JsonNode putItem(ObjectNode r) {
    Constraints c = new Constraints().tableName("tableName", r.get("TableName")).required("item", r.get("Item"))
        .oneOf("returnValues", r.get("ReturnValues"), RETURN_VALUES);
    checkCommon(c, r);
    c.check();
    String returnValues = text(r, "ReturnValues", "NONE");
    if (!returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
      throw DynamoDbException.validation("ReturnValues can only be ALL_OLD or NONE");
    }
    Unbound put = parsePut(r, "");
    Outcome o = writeOne(put.bind(tables.apply(put.tableName())));
    ObjectNode out = LocalJson.object();
    if (returnValues.equals("ALL_OLD") && o.before() != null) {
      out.set("Attributes", AttributeJson.writeItem(o.before()));
    }
    return out;
  }

  JsonNode deleteItem(ObjectNode r) {
    Constraints c = new Constraints().tableName("tableName", r.get("TableName")).required("key", r.get("Key"))
        .oneOf("returnValues", r.get("ReturnValues"), RETURN_VALUES);
    checkCommon(c, r);
    c.check();
    String returnValues = text(r, "ReturnValues", "NONE");
    if (!returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
      throw DynamoDbException.validation("ReturnValues can only be ALL_OLD or NONE");
    }
    Unbound delete = parseDelete(r, "");
    Outcome o = writeOne(delete.bind(tables.apply(delete.tableName())));
    ObjectNode out = LocalJson.object();
    if (returnValues.equals("ALL_OLD") && o.before() != null) {
      out.set("Attributes", AttributeJson.writeItem(o.before()));
    }
    return out;
  }

  JsonNode updateItem(ObjectNode r) {
    Constraints c = new Constraints().tableName("tableName", r.get("TableName")).required("key", r.get("Key"))
        .oneOf("returnValues", r.get("ReturnValues"), RETURN_VALUES);
    checkCommon(c, r);
    c.check();
    String returnValues = text(r, "ReturnValues", "NONE");
    Unbound parsed = parseUpdate(r, "");
    UpdateWrite w = (UpdateWrite) parsed.bind(tables.apply(parsed.tableName()));
    Outcome o = writeOne(w);
    Map<String, AttrValue> attributes = switch (returnValues) {
      case "ALL_OLD" -> o.before();
      case "ALL_NEW" -> o.after();
      case "UPDATED_OLD" -> o.before() == null ? null : updated(w, o.before());
      case "UPDATED_NEW" -> updated(w, o.after());
      default -> null;
    };
    ObjectNode out = LocalJson.object();
    if (attributes != null && !attributes.isEmpty()) {
      out.set("Attributes", AttributeJson.writeItem(attributes));
    }
    return out;
  }

  /** UPDATED_OLD / UPDATED_NEW: the parts of the item the update's actions name. */
  private static Map<String, AttrValue> updated(UpdateWrite w, Map<String, AttrValue> item) {
    if (w.update() == null) {
      return Map.of();
    }
    return Conditions.project(item, w.update().actions().stream().map(UpdateAction::path).toList());
  }

  JsonNode getItem(ObjectNode r) {
    Constraints c = new Constraints().tableName("tableName", r.get("TableName")).required("key", r.get("Key"));
    checkCommon(c, r);
    c.check();
    Map<String, AttrValue> key = readMap(r, "Key");
    Expressions e = expressions(r, List.of(), true, List.of("AttributesToGet"));
    Table t = tables.apply(r.get("TableName").asText());
    Map<String, AttrValue> k = checkKey(t, key);
    Map<String, AttrValue> item;
    t.lock.lock();
    try {
      item = t.get(k);
    } finally {
      t.lock.unlock();
    }
    ObjectNode out = LocalJson.object();
    if (item != null) {
      out.set("Item", AttributeJson.writeItem(e.projection() == null ? item : Conditions.project(item, e.projection())));
    }
    return out;
  }

  // ================================================================== Query and Scan

  /** What a Query or Scan reads: the table, or one of its indexes, and what each result shows. */
  private record Target(Table table, Table.Index index) {
    List<Table.KeyDef> keys() {
      if (index == null) {
        return table.keys();
      }
      List<Table.KeyDef> keys = new ArrayList<>();
      keys.add(index.hash());
      if (index.range() != null) {
        keys.add(index.range());
      }
      for (Table.KeyDef k : table.keys()) {
        if (keys.stream().noneMatch(x -> x.name().equals(k.name()))) {
          keys.add(k);
        }
      }
      return keys;
    }

    Table.KeyDef hash() {
      return index == null ? table.hash : index.hash();
    }

    Table.KeyDef range() {
      return index == null ? table.range : index.range();
    }

    /** The item as the index holds it (a GSI has only its projected attributes). */
    Map<String, AttrValue> projected(Map<String, AttrValue> item) {
      if (index == null || index.projectionType().equals("ALL")) {
        return item;
      }
      Map<String, AttrValue> out = new LinkedHashMap<>();
      item.forEach((name, value) -> {
        if (keys().stream().anyMatch(k -> k.name().equals(name)) || index.nonKeyAttributes().contains(name)) {
          out.put(name, value);
        }
      });
      return out;
    }

    /** What filters and projections see: a GSI's projection, or the whole item (LSIs fetch from the table). */
    Map<String, AttrValue> visible(Map<String, AttrValue> item) {
      return index != null && index.global() ? projected(item) : item;
    }

    Map<String, AttrValue> lastKey(Map<String, AttrValue> item) {
      Map<String, AttrValue> key = new LinkedHashMap<>();
      keys().forEach(k -> key.put(k.name(), item.get(k.name())));
      return key;
    }

    /** The order of results, and of resuming after an ExclusiveStartKey. */
    Comparator<Map<String, AttrValue>> order() {
      return index == null ? table.tableOrder() : table.indexOrder(index);
    }
  }

  private Target target(JsonNode r, boolean consistentRead) {
    Table t = tables.apply(r.get("TableName").asText());
    JsonNode indexName = r.get("IndexName");
    if (!ExpressionContext.present(indexName)) {
      return new Target(t, null);
    }
    Table.Index index = t.index(indexName.asText());
    if (index == null) {
      throw DynamoDbException.validation("The table does not have the specified index: " + indexName.asText());
    }
    if (index.global() && consistentRead) {
      throw DynamoDbException.validation("Consistent reads are not supported on global secondary indexes");
    }
    return new Target(t, index);
  }

  private static String select(JsonNode r, Target target, Expressions e) {
    String select = text(r, "Select", null);
    if (select == null) {
      return e.projection() != null ? "SPECIFIC_ATTRIBUTES" : target.index() != null ? "ALL_PROJECTED_ATTRIBUTES"
          : "ALL_ATTRIBUTES";
    }
    if (e.projection() != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
      throw invalid("Cannot specify the ProjectionExpression when choosing to get " + select);
    }
    if (select.equals("SPECIFIC_ATTRIBUTES") && e.projection() == null) {
      throw invalid("Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression");
    }
    if (select.equals("ALL_PROJECTED_ATTRIBUTES") && target.index() == null) {
      throw invalid("Select type ALL_PROJECTED_ATTRIBUTES is not supported when not querying an index");
    }
    if (select.equals("ALL_ATTRIBUTES") && target.index() != null && target.index().global()
        && !target.index().projectionType().equals("ALL")) {
      throw invalid("Select type ALL_ATTRIBUTES is not supported for global secondary index " + target.index().name()
          + " because its projection type is not ALL");
    }
    return select;
  }

  /** Checks an ExclusiveStartKey: the target's key attributes (an index's and the table's), typed. */
  private static Map<String, AttrValue> startKey(JsonNode r, Target target) {
    if (!ExpressionContext.present(r.get("ExclusiveStartKey"))) {
      return null;
    }
    Map<String, AttrValue> start;
    try {
      start = readMap(r, "ExclusiveStartKey");
    } catch (DynamoDbException e) {
      throw DynamoDbException.validation("The provided starting key is invalid: " + e.getMessage());
    }
    List<Table.KeyDef> keys = target.keys();
    if (start.size() != keys.size()) {
      throw DynamoDbException.validation("The provided starting key is invalid: " + KEY_MISMATCH);
    }
    for (Table.KeyDef k : keys) {
      AttrValue v = start.get(k.name());
      if (v == null || !v.type().equals(k.type())) {
        throw DynamoDbException.validation("The provided starting key is invalid: " + KEY_MISMATCH);
      }
    }
    return start;
  }

  JsonNode query(ObjectNode r) {
    Constraints c = new Constraints().tableName("tableName", r.get("TableName"))
        .oneOf("select", r.get("Select"), SELECT).atLeast("limit", r.get("Limit"), 1);
    checkCommon(c, r);
    c.check();
    if (!ExpressionContext.present(r.get("KeyConditionExpression")) && !ExpressionContext.present(r.get("KeyConditions"))) {
      throw DynamoDbException.validation("Either the KeyConditions or KeyConditionExpression parameter must be "
          + "specified in the request.");
    }
    Expressions e = expressions(r, List.of("FilterExpression", "KeyConditionExpression"), true,
        List.of("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"));
    boolean consistent = r.path("ConsistentRead").asBoolean(false);
    Target target = target(r, consistent);
    String select = select(r, target, e);
    Map<String, KeyTerm> terms = keyTerms(target, e.keyCondition());
    if (e.filter() != null) {
      for (String head : heads(e.filter())) {
        if (head.equals(target.hash().name()) || (target.range() != null && head.equals(target.range().name()))) {
          throw DynamoDbException.validation("Filter Expression can only contain non-primary key attributes: "
              + "Primary key attribute: " + head);
        }
      }
    }
    Map<String, AttrValue> start = startKey(r, target);
    AttrValue hashValue = terms.get(target.hash().name()).values().getFirst();
    if (start != null && !hashValue.equals(start.get(target.hash().name()))) {
      throw DynamoDbException.validation("The provided starting key is outside query boundaries based on provided "
          + "conditions");
    }
    KeyTerm rangeTerm = target.range() == null ? null : terms.get(target.range().name());
    boolean forward = r.path("ScanIndexForward").asBoolean(true);
    Table t = target.table();
    List<Map<String, AttrValue>> candidates;
    t.lock.lock();
    try {
      if (target.index() == null) {
        candidates = t.partition(hashValue);
      } else {
        candidates = new ArrayList<>();
        for (Map<String, AttrValue> item : t.all()) {
          if (target.index().holds(item) && hashValue.equals(item.get(target.hash().name()))) {
            candidates.add(item);
          }
        }
        candidates.sort(target.order());
      }
    } finally {
      t.lock.unlock();
    }
    if (rangeTerm != null) {
      candidates.removeIf(item -> !rangeMatches(rangeTerm, item.get(target.range().name())));
    }
    if (!forward) {
      candidates = new ArrayList<>(candidates);
      Collections.reverse(candidates);
    }
    if (start != null) {
      Comparator<Map<String, AttrValue>> order = target.order();
      candidates = candidates.stream().filter(item -> forward ? order.compare(item, start) > 0
          : order.compare(item, start) < 0).toList();
    }
    return page(r, target, candidates, e, select);
  }

  /** The query's key terms, checked against the key schema of what it reads. */
  private static Map<String, KeyTerm> keyTerms(Target target, List<KeyTerm> terms) {
    Map<String, KeyTerm> byName = new LinkedHashMap<>();
    terms.forEach(t -> byName.put(t.attribute(), t));
    Table.KeyDef hash = target.hash();
    Table.KeyDef range = target.range();
    KeyTerm hashTerm = byName.get(hash.name());
    if (hashTerm == null) {
      throw DynamoDbException.validation("Query condition missed key schema element: " + hash.name());
    }
    for (KeyTerm term : terms) {
      if (!term.attribute().equals(hash.name()) && (range == null || !term.attribute().equals(range.name()))) {
        throw DynamoDbException.validation(range == null ? "Query key condition not supported"
            : "Query condition missed key schema element: " + range.name());
      }
    }
    if (!hashTerm.operator().equals("=")) {
      throw DynamoDbException.validation("Query key condition not supported");
    }
    for (KeyTerm term : terms) {
      String type = term.attribute().equals(hash.name()) ? hash.type() : range.type();
      for (AttrValue v : term.values()) {
        if (!v.type().equals(type)) {
          throw invalid("Condition parameter type does not match schema type");
        }
      }
    }
    return byName;
  }

  private static boolean rangeMatches(KeyTerm term, AttrValue v) {
    List<AttrValue> values = term.values();
    return switch (term.operator()) {
      case "=" -> v.equals(values.getFirst());
      case "<" -> AttrValue.compare(v, values.getFirst()) < 0;
      case "<=" -> AttrValue.compare(v, values.getFirst()) <= 0;
      case ">" -> AttrValue.compare(v, values.getFirst()) > 0;
      case ">=" -> AttrValue.compare(v, values.getFirst()) >= 0;
      case "BETWEEN" -> AttrValue.compare(values.get(0), v) <= 0 && AttrValue.compare(v, values.get(1)) <= 0;
      case "begins_with" -> v instanceof S s ? s.value().startsWith(((S) values.getFirst()).value())
          : ((B) v).value().startsWith(((B) values.getFirst()).value());
      default -> throw new IllegalStateException(term.operator());
    };
  }

  /** The top-level attributes a condition reads. */
  private static Set<String> heads(Condition c) {
    Set<String> out = new LinkedHashSet<>();
    collectHeads(c, out);
    return out;
  }

  private static void collectHeads(Object node, Set<String> out) {
    switch (node) {
      case Expr.PathOperand p -> out.add(p.path().head());
      case Expr.ParenOperand p -> collectHeads(p.inner(), out);
      case Expr.FunctionOperand f -> f.args().forEach(a -> collectHeads(a, out));
      case Expr.ParenCondition p -> collectHeads(p.inner(), out);
      case Expr.And a -> {
        collectHeads(a.left(), out);
        collectHeads(a.right(), out);
      }
      case Expr.Or o -> {
        collectHeads(o.left(), out);
        collectHeads(o.right(), out);
      }
      case Expr.Not n -> collectHeads(n.inner(), out);
      case Expr.Comparison cmp -> {
        collectHeads(cmp.left(), out);
        collectHeads(cmp.right(), out);
      }
      case Expr.Between b -> {
        collectHeads(b.value(), out);
        collectHeads(b.low(), out);
        collectHeads(b.high(), out);
      }
      case Expr.In in -> {
        collectHeads(in.value(), out);
        in.candidates().forEach(x -> collectHeads(x, out));
      }
      case Expr.FunctionCondition f -> collectHeads(f.function(), out);
      default -> {
        // values
      }
    }
  }

  JsonNode scan(ObjectNode r) {
    Constraints c = new Constraints().tableName("tableName", r.get("TableName"))
        .oneOf("select", r.get("Select"), SELECT).atLeast("limit", r.get("Limit"), 1)
        .atLeast("totalSegments", r.get("TotalSegments"), 1).atMost("totalSegments", r.get("TotalSegments"), 1000000)
        .atLeast("segment", r.get("Segment"), 0).atMost("segment", r.get("Segment"), 999999);
    checkCommon(c, r);
    c.check();
    boolean hasSegment = ExpressionContext.present(r.get("Segment"));
    boolean hasTotal = ExpressionContext.present(r.get("TotalSegments"));
    if (hasSegment && !hasTotal) {
      throw DynamoDbException.validation("The TotalSegments parameter is required but was not present in the request "
          + "when Segment parameter is present");
    }
    if (hasTotal && !hasSegment) {
      throw DynamoDbException.validation("The Segment parameter is required but was not present in the request when "
          + "parameter TotalSegments is present");
    }
    if (hasSegment && r.get("Segment").asInt() >= r.get("TotalSegments").asInt()) {
      throw DynamoDbException.validation("The Segment parameter is zero-based and must be less than parameter "
          + "TotalSegments: Segment: " + r.get("Segment").asInt() + " is not less than TotalSegments: "
          + r.get("TotalSegments").asInt());
    }
    Expressions e = expressions(r, List.of("FilterExpression"), true,
        List.of("AttributesToGet", "ScanFilter", "ConditionalOperator"));
    Target target = target(r, r.path("ConsistentRead").asBoolean(false));
    String select = select(r, target, e);
    Map<String, AttrValue> start = startKey(r, target);
    Table t = target.table();
    List<Map<String, AttrValue>> candidates;
    t.lock.lock();
    try {
      if (target.index() == null) {
        candidates = start == null ? t.all() : t.after(start);
      } else {
        candidates = new ArrayList<>();
        for (Map<String, AttrValue> item : t.all()) {
          if (target.index().holds(item)) {
            candidates.add(item);
          }
        }
        candidates.sort(target.order());
        if (start != null) {
          Comparator<Map<String, AttrValue>> order = target.order();
          candidates = candidates.stream().filter(item -> order.compare(item, start) > 0).toList();
        }
      }
    } finally {
      t.lock.unlock();
    }
    if (hasSegment) {
      int segment = r.get("Segment").asInt();
      int total = r.get("TotalSegments").asInt();
      String hash = target.hash().name();
      candidates = candidates.stream().filter(item -> Table.segment(item.get(hash), total) == segment).toList();
    }
    return page(r, target, candidates, e, select);
  }

  /**
   * One page of a Query or Scan: reads candidates until Limit items or 1 MB have been read, then
   * filters and projects them. When it stops early it returns the last read item's key as
   * LastEvaluatedKey, even when no item follows (DynamoDB does the same; clients must page until
   * there is none).
   */
  private static ObjectNode page(JsonNode r, Target target, List<Map<String, AttrValue>> candidates, Expressions e,
      String select) {
    int limit = r.path("Limit").asInt(Integer.MAX_VALUE);
    ObjectNode out = LocalJson.object();
    ArrayNode items = LocalJson.MAPPER.createArrayNode();
    int scanned = 0;
    int count = 0;
    long bytes = 0;
    Map<String, AttrValue> last = null;
    for (Iterator<Map<String, AttrValue>> it = candidates.iterator(); it.hasNext(); ) {
      if (scanned >= limit || bytes >= MAX_PAGE_BYTES) {
        break;
      }
      Map<String, AttrValue> item = it.next();
      scanned++;
      bytes += AttrValue.itemSize(item);
      last = item;
      Map<String, AttrValue> visible = target.visible(item);
      if (e.filter() != null && !Conditions.matches(e.filter(), visible)) {
        continue;
      }
      count++;
      if (!select.equals("COUNT")) {
        Map<String, AttrValue> shown = switch (select) {
          case "SPECIFIC_ATTRIBUTES" -> Conditions.project(visible, e.projection());
          case "ALL_PROJECTED_ATTRIBUTES" -> target.projected(item);
          default -> item;
        };
        items.add(AttributeJson.writeItem(shown));
      }
    }
    if (!select.equals("COUNT")) {
      out.set("Items", items);
    }
    out.put("Count", count);
    out.put("ScannedCount", scanned);
    if (last != null && (scanned >= limit || bytes >= MAX_PAGE_BYTES)) {
      out.set("LastEvaluatedKey", AttributeJson.writeItem(target.lastKey(last)));
    }
    return out;
  }

  // ================================================================== batches

  JsonNode batchGetItem(ObjectNode r) {
    JsonNode requestItems = r.get("RequestItems");
    if (!ExpressionContext.present(requestItems) || requestItems.isEmpty()) {
      throw DynamoDbException.validation("The requestItems parameter is required for BatchGetItem");
    }
    Constraints c = new Constraints();
    checkCommon(c, r);
    int total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      c.tableName("requestItems." + e.getKey() + ".member.tableName", LocalJson.NODES.textNode(e.getKey()));
      int keys = e.getValue().path("Keys").size();
      if (keys > MAX_BATCH_GET_KEYS) {
        c.failUnquoted("RequestItems." + e.getKey() + ".member.Keys", "Member must have length less than or equal to "
            + MAX_BATCH_GET_KEYS);
      }
      total += keys;
    }
    c.check();
    if (total > MAX_BATCH_GET_KEYS) {
      throw DynamoDbException.validation("Too many items requested for the BatchGetItem call");
    }
    record TableRead(String name, List<Map<String, AttrValue>> keys, Expressions expressions) {}
    List<TableRead> reads = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode spec = e.getValue();
      Expressions x = expressions(spec, List.of(), true, List.of("AttributesToGet"));
      List<Map<String, AttrValue>> keys = new ArrayList<>();
      for (JsonNode k : spec.path("Keys")) {
        Map<String, AttrValue> key = AttributeJson.readItem(k);
        if (keys.contains(key)) {
          throw DynamoDbException.validation("Provided list of item keys contains duplicates");
        }
        keys.add(key);
      }
      reads.add(new TableRead(e.getKey(), keys, x));
    }
    ObjectNode out = LocalJson.object();
    ObjectNode responses = out.putObject("Responses");
    for (TableRead read : reads) {
      Table t = tables.apply(read.name());
      List<Map<String, AttrValue>> keys = read.keys().stream().map(k -> checkKey(t, k)).toList();
      ArrayNode found = responses.putArray(read.name());
      t.lock.lock();
      try {
        for (Map<String, AttrValue> k : keys) {
          Map<String, AttrValue> item = t.get(k);
          if (item != null) {
            found.add(AttributeJson.writeItem(read.expressions().projection() == null ? item
                : Conditions.project(item, read.expressions().projection())));
          }
        }
      } finally {
        t.lock.unlock();
      }
    }
    out.putObject("UnprocessedKeys");
    return out;
  }

  JsonNode batchWriteItem(ObjectNode r) {
    JsonNode requestItems = r.get("RequestItems");
    if (!ExpressionContext.present(requestItems) || requestItems.isEmpty()) {
      throw DynamoDbException.validation("The requestItems parameter is required for BatchWriteItem");
    }
    Constraints c = new Constraints();
    checkCommon(c, r);
    int total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      c.tableName("requestItems." + e.getKey() + ".member.tableName", LocalJson.NODES.textNode(e.getKey()));
      if (e.getValue().size() > MAX_BATCH_WRITES) {
        c.failUnquoted("requestItems." + e.getKey() + ".member", "Member must have length less than or equal to "
            + MAX_BATCH_WRITES);
      }
      total += e.getValue().size();
    }
    c.check();
    if (total > MAX_BATCH_WRITES) {
      throw DynamoDbException.validation("Too many items requested for the BatchWriteItem call");
    }
    record Request(String table, Map<String, AttrValue> item, Map<String, AttrValue> key) {}
    List<Request> requests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      for (JsonNode w : e.getValue()) {
        boolean put = w.has("PutRequest");
        if (put == w.has("DeleteRequest")) {
          throw DynamoDbException.validation("Supplied AttributeValue has more than one datatypes set, must contain "
              + "exactly one of the supported datatypes");
        }
        if (put) {
          Map<String, AttrValue> item = readMap(w.get("PutRequest"), "Item");
          checkSize(item, "Item size has exceeded the maximum allowed size");
          requests.add(new Request(e.getKey(), item, null));
        } else {
          requests.add(new Request(e.getKey(), null, readMap(w.get("DeleteRequest"), "Key")));
        }
      }
    }
    List<Write> writes = new ArrayList<>();
    Set<List<Object>> seen = new HashSet<>();
    for (Request q : requests) {
      Table t = tables.apply(q.table());
      Write w;
      if (q.item() != null) {
        checkItem(t, q.item());
        w = new Put(t, t.keyOf(q.item()), q.item(), null, false);
      } else {
        w = new Delete(t, checkKey(t, q.key()), null, false);
      }
      if (!seen.add(List.of(t.name, w.key()))) {
        throw DynamoDbException.validation("Provided list of item keys contains duplicates");
      }
      writes.add(w);
    }
    writes.forEach(ItemOperations::writeOne);
    ObjectNode out = LocalJson.object();
    out.putObject("UnprocessedItems");
    return out;
  }

  // ================================================================== transactions

  JsonNode transactWriteItems(ObjectNode r) {
    JsonNode items = r.get("TransactItems");
    Constraints c = new Constraints().required("transactItems", items);
    checkCommon(c, r);
    if (items != null && items.isArray() && items.isEmpty()) {
      c.fail("transactItems", LocalJson.NODES.textNode("[]"), "Member must have length greater than or equal to 1");
    }
    if (items != null && items.size() > MAX_TRANSACTION_ITEMS) {
      c.failUnquoted("transactItems", "Member must have length less than or equal to " + MAX_TRANSACTION_ITEMS);
    }
    c.check();
    List<Unbound> parsed = new ArrayList<>();
    int n = 1;
    for (JsonNode item : items) {
      String prefix = "transactItems." + n++ + ".member.";
      List<String> kinds = new ArrayList<>();
      item.fieldNames().forEachRemaining(kinds::add);
      if (kinds.size() != 1) {
        throw DynamoDbException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
      }
      JsonNode body = item.get(kinds.getFirst());
      parsed.add(switch (kinds.getFirst()) {
        case "Put" -> parsePut(body, prefix + "put.");
        case "Update" -> parseUpdate(body, prefix + "update.");
        case "Delete" -> parseDelete(body, prefix + "delete.");
        case "ConditionCheck" -> parseCheck(body, prefix + "conditionCheck.");
        default -> throw DynamoDbException.validation("TransactItems can only contain one of Check, Put, Update or "
            + "Delete");
      });
    }
    List<Table> targets = parsed.stream().map(u -> tables.apply(u.tableName())).toList();
    String token = text(r, "ClientRequestToken", null);
    if (token != null && repeated(token, LocalJson.write(items))) {
      return LocalJson.object();
    }
    // Each action is checked against its table; a failure there cancels the transaction.
    List<Write> writes = new ArrayList<>();
    List<ObjectNode> reasons = new ArrayList<>();
    for (int i = 0; i < parsed.size(); i++) {
      try {
        writes.add(parsed.get(i).bind(targets.get(i)));
        reasons.add(null);
      } catch (DynamoDbException e) {
        writes.add(null);
        reasons.add(reason("ValidationError", e.getMessage()));
      }
    }
    Set<List<Object>> seen = new HashSet<>();
    for (Write w : writes) {
      if (w != null && !seen.add(List.of(w.table().name, w.key()))) {
        throw DynamoDbException.validation("Transaction request cannot include multiple operations on one item");
      }
    }
    List<Table> locked = lockAll(targets);
    try {
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < writes.size(); i++) {
        Write w = writes.get(i);
        if (w == null) {
          outcomes.add(null);
          continue;
        }
        try {
          outcomes.add(evaluate(w));
        } catch (DynamoDbException e) {
          outcomes.add(null);
          reasons.set(i, e.code().equals("ConditionalCheckFailedException")
              ? reason("ConditionalCheckFailed", e.getMessage()).setAll(e.members())
              : reason("ValidationError", e.getMessage()));
        }
      }
      if (reasons.stream().anyMatch(java.util.Objects::nonNull)) {
        throw cancelled(reasons);
      }
      for (int i = 0; i < writes.size(); i++) {
        commit(writes.get(i), outcomes.get(i));
      }
    } finally {
      locked.reversed().forEach(t -> t.lock.unlock());
    }
    return LocalJson.object();
  }

  /**
   * Whether a transaction with this ClientRequestToken already ran within the idempotency window;
   * the same token with other parameters is an error, as in DynamoDB.
   */
  private boolean repeated(String token, String fingerprint) {
    Instant now = clock.get();
    synchronized (tokens) {
      tokens.values().removeIf(u -> !now.isBefore(u.at().plus(IDEMPOTENCY_WINDOW)));
      TokenUse previous = tokens.get(token);
      if (previous == null) {
        tokens.put(token, new TokenUse(fingerprint, now));
        return false;
      }
      if (!previous.fingerprint().equals(fingerprint)) {
        throw DynamoDbException.of("IdempotentParameterMismatchException",
            "Request parameters do not match the parameters of the original request");
      }
      return true;
    }
  }

  JsonNode transactGetItems(ObjectNode r) {
    JsonNode items = r.get("TransactItems");
    Constraints c = new Constraints().required("transactItems", items)
        .oneOf("returnConsumedCapacity", r.get("ReturnConsumedCapacity"), RETURN_CONSUMED_CAPACITY);
    if (items != null && items.isArray() && items.isEmpty()) {
      c.fail("transactItems", LocalJson.NODES.textNode("[]"), "Member must have length greater than or equal to 1");
    }
    if (items != null && items.size() > MAX_TRANSACTION_ITEMS) {
      c.failUnquoted("transactItems", "Member must have length less than or equal to " + MAX_TRANSACTION_ITEMS);
    }
    c.check();
    record Get(String table, Map<String, AttrValue> key, Expressions expressions) {}
    List<Get> gets = new ArrayList<>();
    int n = 1;
    for (JsonNode item : items) {
      JsonNode get = item.get("Get");
      String prefix = "transactItems." + n++ + ".member.get.";
      new Constraints().required("transactItems." + (n - 1) + ".member.get", get).check();
      new Constraints().tableName(prefix + "tableName", get.get("TableName")).required(prefix + "key", get.get("Key"))
          .check();
      gets.add(new Get(get.get("TableName").asText(), readMap(get, "Key"),
          expressions(get, List.of(), true, List.of())));
    }
    List<Table> targets = gets.stream().map(g -> tables.apply(g.table())).toList();
    List<Map<String, AttrValue>> keys = new ArrayList<>();
    List<ObjectNode> reasons = new ArrayList<>();
    for (int i = 0; i < gets.size(); i++) {
      try {
        keys.add(checkKey(targets.get(i), gets.get(i).key()));
        reasons.add(null);
      } catch (DynamoDbException e) {
        keys.add(null);
        reasons.add(reason("ValidationError", e.getMessage()));
      }
    }
    if (reasons.stream().anyMatch(java.util.Objects::nonNull)) {
      throw cancelled(reasons);
    }
    ObjectNode out = LocalJson.object();
    ArrayNode responses = out.putArray("Responses");
    List<Table> locked = lockAll(targets);
    try {
      for (int i = 0; i < gets.size(); i++) {
        Map<String, AttrValue> item = targets.get(i).get(keys.get(i));
        ObjectNode response = responses.addObject();
        List<DocPath> projection = gets.get(i).expressions().projection();
        if (item != null) {
          response.set("Item", AttributeJson.writeItem(projection == null ? item : Conditions.project(item, projection)));
        }
      }
    } finally {
      locked.reversed().forEach(t -> t.lock.unlock());
    }
    return out;
  }

  /** Locks each table once, in name order, so that two transactions never wait on each other. */
  private static List<Table> lockAll(List<Table> targets) {
    TreeMap<String, Table> byName = new TreeMap<>();
    targets.forEach(t -> byName.put(t.arn, t));
    List<Table> locked = new ArrayList<>();
    for (Table t : byName.values()) {
      t.lock.lock();
      locked.add(t);
    }
    return locked;
  }

  private static ObjectNode reason(String code, String message) {
    ObjectNode reason = LocalJson.object().put("Code", code);
    if (message != null) {
      reason.put("Message", message);
    }
    return reason;
  }

  /** TransactionCanceledException: one reason per action, in order, {@code None} for those that did not fail. */
  private static DynamoDbException cancelled(List<ObjectNode> reasons) {
    ObjectNode members = LocalJson.object();
    ArrayNode list = members.putArray("CancellationReasons");
    List<String> codes = new ArrayList<>();
    for (ObjectNode reason : reasons) {
      ObjectNode shown = reason == null ? LocalJson.object().put("Code", "None") : reason;
      list.add(shown);
      codes.add(shown.get("Code").asText());
    }
    return DynamoDbException.transactionCanceled("Transaction cancelled, please refer cancellation reasons for specific "
        + "reasons [" + String.join(", ", codes) + "]", members);
  }
}
