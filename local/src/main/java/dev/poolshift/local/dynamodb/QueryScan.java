package dev.poolshift.local.dynamodb;

import static dev.poolshift.local.dynamodb.KeyRules.KEY_MISMATCH;
import static dev.poolshift.local.dynamodb.Requests.checkCommon;
import static dev.poolshift.local.dynamodb.Requests.expressions;
import static dev.poolshift.local.dynamodb.Requests.invalid;
import static dev.poolshift.local.dynamodb.Requests.readMap;
import static dev.poolshift.local.dynamodb.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.dynamodb.AttrValue.B;
import dev.poolshift.local.dynamodb.AttrValue.S;
import dev.poolshift.local.dynamodb.Expr.Condition;
import dev.poolshift.local.dynamodb.ExpressionParser.KeyTerm;
import dev.poolshift.local.dynamodb.Requests.Expressions;
import dev.poolshift.local.json.LocalJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Query and Scan: what they read (the table or an index), in which order, a page at a time.
 */
final class QueryScan {
  /** A Query or Scan reads at most 1 MB before it stops and returns a LastEvaluatedKey. */
  static final long MAX_PAGE_BYTES = 1024 * 1024;
  private static final String[] SELECT = {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"};

  private final Function<String, Table> tables;

  QueryScan(Function<String, Table> tables) {
    this.tables = tables;
  }

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
}
