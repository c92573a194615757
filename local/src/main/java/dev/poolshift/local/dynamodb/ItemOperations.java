package dev.poolshift.local.dynamodb;

import static dev.poolshift.local.dynamodb.KeyRules.checkIndexKeys;
import static dev.poolshift.local.dynamodb.KeyRules.checkItem;
import static dev.poolshift.local.dynamodb.KeyRules.checkKey;
import static dev.poolshift.local.dynamodb.KeyRules.checkSize;
import static dev.poolshift.local.dynamodb.Requests.checkCommon;
import static dev.poolshift.local.dynamodb.Requests.expressions;
import static dev.poolshift.local.dynamodb.Requests.invalid;
import static dev.poolshift.local.dynamodb.Requests.readMap;
import static dev.poolshift.local.dynamodb.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.dynamodb.Expr.Condition;
import dev.poolshift.local.dynamodb.Expr.DocPath;
import dev.poolshift.local.dynamodb.Expr.Update;
import dev.poolshift.local.dynamodb.Expr.UpdateAction;
import dev.poolshift.local.dynamodb.Requests.Expressions;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The item operations but reads of many items ({@link QueryScan}): GetItem, PutItem, UpdateItem,
 * DeleteItem, BatchGetItem, BatchWriteItem, TransactWriteItems, TransactGetItems.
 *
 * <p>Each request is checked in the order DynamoDB checks it: the request's shape, attribute
 * values, expressions and their placeholders (all before the table is looked up, so a bad
 * expression is a ValidationException even for a table that does not exist), then the table, then
 * keys against its schema, then the condition against the stored item. Reads are always strongly
 * consistent (an eventually consistent read may legally return the latest data).
 */
final class ItemOperations {
  private static final int MAX_TRANSACTION_ITEMS = 100;
  private static final int MAX_BATCH_GET_KEYS = 100;
  private static final int MAX_BATCH_WRITES = 25;
  /** A transaction's ClientRequestToken is remembered this long. */
  static final Duration IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);

  private static final String[] RETURN_VALUES = {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"};

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



  JsonNode putItem(ObjectNode r) {
    return writeOneReturningOld(r, "item", "Item", ItemOperations::parsePut);
  }

  JsonNode deleteItem(ObjectNode r) {
    return writeOneReturningOld(r, "key", "Key", ItemOperations::parseDelete);
  }

  /** PutItem and DeleteItem: one write whose ReturnValues may only be ALL_OLD or NONE. */
  private JsonNode writeOneReturningOld(ObjectNode r, String field, String member,
      java.util.function.BiFunction<JsonNode, String, Unbound> parse) {
    Constraints c = new Constraints().tableName("tableName", r.get("TableName")).required(field, r.get(member))
        .oneOf("returnValues", r.get("ReturnValues"), RETURN_VALUES);
    checkCommon(c, r);
    c.check();
    String returnValues = text(r, "ReturnValues", "NONE");
    if (!returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
      throw DynamoDbException.validation("ReturnValues can only be ALL_OLD or NONE");
    }
    Unbound write = parse.apply(r, "");
    Outcome o = writeOne(write.bind(tables.apply(write.tableName())));
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

  // ================================================================== batches

  JsonNode batchGetItem(ObjectNode r) {
    JsonNode requestItems = r.get("RequestItems");
    if (!ExpressionContext.present(requestItems) || requestItems.isEmpty()) {
      throw DynamoDbException.validation("The requestItems parameter is required for BatchGetItem");
    }
    Constraints c = new Constraints();
    checkCommon(c, r);
    int total = 0;
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
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
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
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
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
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
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
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
        .oneOf("returnConsumedCapacity", r.get("ReturnConsumedCapacity"), Requests.RETURN_CONSUMED_CAPACITY);
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
