package dev.poolshift.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.AwsService;
import dev.poolshift.local.http.HttpCall;
import dev.poolshift.local.http.HttpReply;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.template.TableDef;
import dev.poolshift.local.template.TableDef.IndexDef;
import dev.poolshift.local.template.TableDef.KeyElement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * DynamoDB on the gateway: the JSON 1.0 API ({@code X-Amz-Target: DynamoDB_20120810.<Operation>},
 * signing name {@code dynamodb}) implemented in memory, for the product's functions, the state
 * machine's SDK integrations, and anyone pointing the AWS CLI or an SDK at {@code serve}.
 *
 * <p>Tables live per Region, as in AWS: a client that signs for another Region sees other
 * (usually no) tables. Each instance, one per runtime, has its own data. Time (table creation,
 * TTL changes) is the runtime's virtual time.
 *
 * <p>Operations: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTimeToLive,
 * DescribeTimeToLive, and the item operations of {@link ItemOperations} and {@link QueryScan}.
 * Anything else is answered with {@code UnknownOperationException}.
 */
public final class DynamoDbService implements AwsService {
  private static final String TARGET_PREFIX = "DynamoDB_20120810";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final Pattern SCOPE_REGION = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/");
  private static final Pattern TABLE_ARN = Pattern.compile("arn:([^:]+):dynamodb:([^:]+):(\\d{12}):table/(.+)");
  /** UpdateTimeToLive: one change per table per hour, as the API reference documents. */
  private static final Duration TTL_CHANGE_INTERVAL = Duration.ofHours(1);
  private static final DateTimeFormatter STREAM_LABEL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final Set<String> KNOWN_UNSUPPORTED = Set.of("UpdateTable", "ExecuteStatement",
      "BatchExecuteStatement", "ExecuteTransaction", "TagResource", "UntagResource", "ListTagsOfResource",
      "DescribeLimits", "DescribeEndpoints", "CreateBackup", "DescribeContinuousBackups", "UpdateContinuousBackups",
      "CreateGlobalTable", "DescribeTableReplicaAutoScaling", "ExportTableToPointInTime", "ImportTable");

  private final Simulation sim;
  private final AwsContext aws;
  /** Region → table name → table. */
  private final Map<String, Map<String, Table>> regions = new ConcurrentHashMap<>();
  /** Region → TransactWriteItems ClientRequestToken → its use. */
  private final Map<String, Map<String, ItemOperations.TokenUse>> idempotencyTokens = new ConcurrentHashMap<>();

  public DynamoDbService(Simulation sim, AwsContext aws) {
    this.sim = sim;
    this.aws = aws;
  }

  @Override
  public String signingName() {
    return "dynamodb";
  }

  @Override
  public String targetPrefix() {
    return TARGET_PREFIX;
  }

  // ------------------------------------------------------------------ the wire

  @Override
  public HttpReply handle(HttpCall call) {
    String target = call.header("x-amz-target");
    String region = aws.region();
    String auth = call.header("authorization");
    if (auth != null) {
      Matcher m = SCOPE_REGION.matcher(auth);
      if (m.find()) {
        region = m.group(1);
      }
    }
    byte[] body;
    int status = 200;
    try {
      if (target == null || !target.startsWith(TARGET_PREFIX + ".")) {
        throw DynamoDbException.of("UnknownOperationException", null);
      }
      JsonNode request;
      try {
        request = call.body().length == 0 ? LocalJson.object() : LocalJson.parse(call.bodyText());
      } catch (IllegalArgumentException e) {
        throw DynamoDbException.serialization(e.getMessage());
      }
      if (!(request instanceof ObjectNode object)) {
        throw DynamoDbException.serialization("Start of list found where not expected");
      }
      body = LocalJson.write(dispatch(target.substring(TARGET_PREFIX.length() + 1), object, region))
          .getBytes(StandardCharsets.UTF_8);
    } catch (DynamoDbException e) {
      status = e.status();
      ObjectNode error = e.body();
      if (error.path("message").isNull()) {
        error.remove("message");
      }
      body = LocalJson.write(error).getBytes(StandardCharsets.UTF_8);
    }
    // The Java SDK and the AWS CLI check x-amz-crc32 against the body they receive.
    CRC32 crc = new CRC32();
    crc.update(body);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amzn-RequestId", requestId());
    headers.put("x-amz-crc32", Long.toString(crc.getValue()));
    return new HttpReply(status, CONTENT_TYPE, headers, body);
  }

  /** A request id shaped like DynamoDB's: 52 characters of upper-case letters and digits. */
  private static String requestId() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder b = new StringBuilder(52);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 52; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /**
   * Calls one DynamoDB operation directly (no gateway), in the runtime's own Region, for the
   * runtime and tests.
   *
   * @throws AwsServiceException with DynamoDB's error code ({@code ConditionalCheckFailedException}, ...)
   */
  public JsonNode call(String operation, ObjectNode request) {
    return dispatch(operation, request.deepCopy(), aws.region());
  }

  private JsonNode dispatch(String operation, ObjectNode request, String region) {
    Scope scope = new Scope(region);
    ItemOperations items = new ItemOperations(scope::table, sim::now,
        idempotencyTokens.computeIfAbsent(region, r -> new java.util.HashMap<>()));
    return switch (operation) {
      case "CreateTable" -> createTable(scope, request);
      case "DescribeTable" -> describeTable(scope, request);
      case "ListTables" -> listTables(scope, request);
      case "DeleteTable" -> deleteTable(scope, request);
      case "UpdateTimeToLive" -> updateTimeToLive(scope, request);
      case "DescribeTimeToLive" -> describeTimeToLive(scope, request);
      case "GetItem" -> items.getItem(request);
      case "PutItem" -> items.putItem(request);
      case "UpdateItem" -> items.updateItem(request);
      case "DeleteItem" -> items.deleteItem(request);
      case "Query" -> new QueryScan(scope::table).query(request);
      case "Scan" -> new QueryScan(scope::table).scan(request);
      case "BatchGetItem" -> items.batchGetItem(request);
      case "BatchWriteItem" -> items.batchWriteItem(request);
      case "TransactWriteItems" -> items.transactWriteItems(request);
      case "TransactGetItems" -> items.transactGetItems(request);
      default -> throw DynamoDbException.of("UnknownOperationException", KNOWN_UNSUPPORTED.contains(operation)
          ? operation + " is not implemented by the local DynamoDB" : null);
    };
  }

  /** The tables of one Region, as one request sees them. */
  private final class Scope {
    final String region;
    final Map<String, Table> tables;

    Scope(String region) {
      this.region = region;
      this.tables = regions.computeIfAbsent(region, r -> new ConcurrentHashMap<>());
    }

    String arn(String resource) {
      return "arn:" + aws.partition() + ":dynamodb:" + region + ":" + aws.accountId() + ":" + resource;
    }

    /** The table named (or, since 2024, identified by ARN) in a request, or ResourceNotFound. */
    Table table(String nameOrArn) {
      Table t = tables.get(tableName(nameOrArn));
      if (t == null) {
        throw DynamoDbException.tableNotFound();
      }
      return t;
    }

    String tableName(String nameOrArn) {
      Matcher m = TABLE_ARN.matcher(nameOrArn);
      if (!m.matches()) {
        return nameOrArn;
      }
      if (!m.group(1).equals(aws.partition()) || !m.group(2).equals(region) || !m.group(3).equals(aws.accountId())) {
        throw DynamoDbException.tableNotFound();
      }
      return m.group(4);
    }
  }

  // ------------------------------------------------------------------ tables

  private JsonNode createTable(Scope scope, ObjectNode r) {
    new Constraints().tableName("tableName", r.get("TableName"))
        .required("attributeDefinitions", r.get("AttributeDefinitions"))
        .required("keySchema", r.get("KeySchema"))
        .oneOf("billingMode", r.get("BillingMode"), "PROVISIONED", "PAY_PER_REQUEST")
        .check();
    Constraints shape = new Constraints();
    int i = 1;
    for (JsonNode d : r.get("AttributeDefinitions")) {
      shape.oneOf("attributeDefinitions." + i++ + ".member.attributeType", d.get("AttributeType"), "B", "N", "S");
    }
    i = 1;
    for (JsonNode k : r.get("KeySchema")) {
      shape.oneOf("keySchema." + i++ + ".member.keyType", k.get("KeyType"), "HASH", "RANGE");
    }
    if (r.get("KeySchema").size() > 2) {
      shape.fail("keySchema", r.get("KeySchema"), "Member must have length less than or equal to 2");
    }
    if (r.get("KeySchema").isEmpty()) {
      shape.fail("keySchema", r.get("KeySchema"), "Member must have length greater than or equal to 1");
    }
    shape.check();
    String name = r.get("TableName").asText();
    if (name.startsWith("arn:")) {
      throw DynamoDbException.validation("TableName must be a table name, not an ARN, when creating a table");
    }
    Map<String, String> definitions = new LinkedHashMap<>();
    r.get("AttributeDefinitions").forEach(d -> definitions.put(d.path("AttributeName").asText(),
        d.path("AttributeType").asText()));
    List<Table.KeyDef> keys = keySchema(r.get("KeySchema"), definitions);
    String billing = r.path("BillingMode").asText("PROVISIONED");
    JsonNode throughput = r.get("ProvisionedThroughput");
    if (billing.equals("PAY_PER_REQUEST") && ExpressionContext.present(throughput)) {
      throw invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
          + "PAY_PER_REQUEST");
    }
    if (billing.equals("PROVISIONED") && (!ExpressionContext.present(throughput)
        || !throughput.has("ReadCapacityUnits") || !throughput.has("WriteCapacityUnits"))) {
      throw invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    }
    Set<String> used = new HashSet<>();
    keys.forEach(k -> used.add(k.name()));
    List<Table.Index> indexes = new ArrayList<>();
    Set<String> indexNames = new HashSet<>();
    JsonNode lsis = r.get("LocalSecondaryIndexes");
    if (ExpressionContext.present(lsis)) {
      if (keys.size() < 2) {
        throw invalid("Table KeySchema does not have a range key, which is required when specifying a "
            + "LocalSecondaryIndex");
      }
      for (JsonNode lsi : lsis) {
        Table.Index index = index(lsi, false, definitions, billing, used);
        if (!index.hash().name().equals(keys.getFirst().name()) || index.range() == null) {
          throw invalid(index.range() == null ? "Index KeySchema does not have a range key for index: " + index.name()
              : "Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                  + index.name() + ". index hash key: " + index.hash().name() + ", table hash key: "
                  + keys.getFirst().name());
        }
        if (!indexNames.add(index.name())) {
          throw invalid("Duplicate index name: " + index.name());
        }
        indexes.add(index);
      }
    }
    JsonNode gsis = r.get("GlobalSecondaryIndexes");
    if (ExpressionContext.present(gsis)) {
      for (JsonNode gsi : gsis) {
        Table.Index index = index(gsi, true, definitions, billing, used);
        if (!indexNames.add(index.name())) {
          throw invalid("Duplicate index name: " + index.name());
        }
        indexes.add(index);
      }
    }
    if (!used.containsAll(definitions.keySet()) || used.size() != definitions.size()) {
      throw invalid("Number of attributes in KeySchema does not exactly match number of attributes defined in "
          + "AttributeDefinitions");
    }
    JsonNode stream = r.path("StreamSpecification");
    String viewType = stream.path("StreamEnabled").asBoolean(false) ? stream.path("StreamViewType").asText(null) : null;
    Instant now = sim.now();
    Table table = new Table(name, scope.arn("table/" + name), keys.get(0), keys.size() > 1 ? keys.get(1) : null,
        definitions, indexes, billing,
        billing.equals("PROVISIONED") ? throughput.path("ReadCapacityUnits").asLong() : null,
        billing.equals("PROVISIONED") ? throughput.path("WriteCapacityUnits").asLong() : null,
        viewType, r.path("DeletionProtectionEnabled").asBoolean(false), now);
    if (scope.tables.putIfAbsent(name, table) != null) {
      throw DynamoDbException.of("ResourceInUseException", "Table already exists: " + name);
    }
    ObjectNode out = LocalJson.object();
    // AWS answers CreateTable while the table is still being created; here it is ACTIVE at once.
    out.set("TableDescription", describe(table, "CREATING"));
    return out;
  }

  private static DynamoDbException invalid(String detail) {
    return DynamoDbException.validation("One or more parameter values were invalid: " + detail);
  }

  private static List<Table.KeyDef> keySchema(JsonNode schema, Map<String, String> definitions) {
    List<Table.KeyDef> keys = new ArrayList<>();
    for (JsonNode k : schema) {
      String attribute = k.path("AttributeName").asText();
      String type = definitions.get(attribute);
      if (type == null) {
        throw DynamoDbException.validation("Invalid KeySchema: Some index key attribute have no definition");
      }
      keys.add(new Table.KeyDef(attribute, type));
    }
    if (!schema.get(0).path("KeyType").asText().equals("HASH")) {
      throw DynamoDbException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    if (keys.size() == 2) {
      if (keys.get(0).name().equals(keys.get(1).name())) {
        throw DynamoDbException.validation("Invalid KeySchema: Some index key attribute have no definition");
      }
      if (!schema.get(1).path("KeyType").asText().equals("RANGE")) {
        throw DynamoDbException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
      }
    }
    return keys;
  }

  private static Table.Index index(JsonNode json, boolean global, Map<String, String> definitions, String billing,
      Set<String> used) {
    String name = json.path("IndexName").asText();
    List<Table.KeyDef> keys = keySchema(json.path("KeySchema"), definitions);
    keys.forEach(k -> used.add(k.name()));
    JsonNode projection = json.path("Projection");
    String type = projection.path("ProjectionType").asText(null);
    if (type == null) {
      throw invalid("Unknown ProjectionType: null");
    }
    List<String> nonKey = new ArrayList<>();
    projection.path("NonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
    if (!nonKey.isEmpty() && !type.equals("INCLUDE")) {
      throw invalid("ProjectionType is " + type + ", but NonKeyAttributes is specified");
    }
    JsonNode throughput = json.get("ProvisionedThroughput");
    if (global && billing.equals("PROVISIONED") && !ExpressionContext.present(throughput)) {
      throw invalid("ProvisionedThroughput must be specified for index: " + name);
    }
    if (global && billing.equals("PAY_PER_REQUEST") && ExpressionContext.present(throughput)) {
      throw invalid("ProvisionedThroughput should not be specified for index: " + name
          + " when BillingMode is PAY_PER_REQUEST");
    }
    Long read = global && ExpressionContext.present(throughput) ? throughput.path("ReadCapacityUnits").asLong() : null;
    Long write = global && ExpressionContext.present(throughput) ? throughput.path("WriteCapacityUnits").asLong() : null;
    return new Table.Index(name, global, keys.get(0), keys.size() > 1 ? keys.get(1) : null, type, nonKey, read, write);
  }

  private JsonNode describeTable(Scope scope, ObjectNode r) {
    new Constraints().tableName("tableName", r.get("TableName")).check();
    Table table = scope.table(r.get("TableName").asText());
    ObjectNode out = LocalJson.object();
    table.lock.lock();
    try {
      out.set("Table", describe(table, "ACTIVE"));
    } finally {
      table.lock.unlock();
    }
    return out;
  }

  private JsonNode listTables(Scope scope, ObjectNode r) {
    new Constraints().atLeast("limit", r.get("Limit"), 1).atMost("limit", r.get("Limit"), 100).check();
    int limit = r.path("Limit").asInt(100);
    TreeSet<String> names = new TreeSet<>(scope.tables.keySet());
    String start = r.path("ExclusiveStartTableName").asText(null);
    Iterator<String> it = (start == null ? names : names.tailSet(start, false)).iterator();
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("TableNames");
    String last = null;
    while (it.hasNext() && list.size() < limit) {
      last = it.next();
      list.add(last);
    }
    if (it.hasNext()) {
      out.put("LastEvaluatedTableName", last);
    }
    return out;
  }

  private JsonNode deleteTable(Scope scope, ObjectNode r) {
    new Constraints().tableName("tableName", r.get("TableName")).check();
    Table table = scope.table(r.get("TableName").asText());
    table.lock.lock();
    try {
      if (table.deletionProtection) {
        throw DynamoDbException.validation("Resource cannot be deleted as it is currently protected against deletion. "
            + "Disable deletion protection first.");
      }
      scope.tables.remove(table.name, table);
      ObjectNode out = LocalJson.object();
      // AWS answers while the table is being deleted; here it is gone at once.
      out.set("TableDescription", describe(table, "DELETING"));
      return out;
    } finally {
      table.lock.unlock();
    }
  }

  private ObjectNode describe(Table t, String status) {
    ObjectNode d = LocalJson.object();
    ArrayNode definitions = d.putArray("AttributeDefinitions");
    t.attributeDefinitions.forEach((attribute, type) ->
        definitions.addObject().put("AttributeName", attribute).put("AttributeType", type));
    d.put("TableName", t.name);
    keySchema(d.putArray("KeySchema"), t.hash, t.range);
    d.put("TableStatus", status);
    d.put("CreationDateTime", epochSeconds(t.created));
    throughput(d, t.readCapacity, t.writeCapacity);
    Table.Statistics stats = t.statistics(sim.now());
    d.put("TableSizeBytes", stats.sizeBytes());
    d.put("ItemCount", stats.itemCount());
    d.put("TableArn", t.arn);
    d.put("TableId", t.id);
    if (t.billingMode.equals("PAY_PER_REQUEST")) {
      d.putObject("BillingModeSummary").put("BillingMode", "PAY_PER_REQUEST")
          .put("LastUpdateToPayPerRequestDateTime", epochSeconds(t.created));
    }
    ArrayNode lsis = LocalJson.MAPPER.createArrayNode();
    ArrayNode gsis = LocalJson.MAPPER.createArrayNode();
    for (Table.Index i : t.indexes) {
      ObjectNode x = (i.global() ? gsis : lsis).addObject();
      x.put("IndexName", i.name());
      keySchema(x.putArray("KeySchema"), i.hash(), i.range());
      ObjectNode projection = x.putObject("Projection").put("ProjectionType", i.projectionType());
      if (!i.nonKeyAttributes().isEmpty()) {
        ArrayNode nonKey = projection.putArray("NonKeyAttributes");
        i.nonKeyAttributes().forEach(nonKey::add);
      }
      if (i.global()) {
        x.put("IndexStatus", "ACTIVE");
        throughput(x, i.readCapacity(), i.writeCapacity());
      }
      long[] indexStats = stats.indexes().getOrDefault(i.name(), new long[2]);
      x.put("IndexSizeBytes", indexStats[1]);
      x.put("ItemCount", indexStats[0]);
      x.put("IndexArn", t.arn + "/index/" + i.name());
    }
    if (!lsis.isEmpty()) {
      d.set("LocalSecondaryIndexes", lsis);
    }
    if (!gsis.isEmpty()) {
      d.set("GlobalSecondaryIndexes", gsis);
    }
    if (t.streamViewType != null) {
      d.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", t.streamViewType);
      String label = STREAM_LABEL.format(t.created);
      d.put("LatestStreamLabel", label);
      d.put("LatestStreamArn", t.arn + "/stream/" + label);
    }
    d.put("DeletionProtectionEnabled", t.deletionProtection);
    return d;
  }

  private static void keySchema(ArrayNode out, Table.KeyDef hash, Table.KeyDef range) {
    out.addObject().put("AttributeName", hash.name()).put("KeyType", "HASH");
    if (range != null) {
      out.addObject().put("AttributeName", range.name()).put("KeyType", "RANGE");
    }
  }

  private static void throughput(ObjectNode out, Long read, Long write) {
    out.putObject("ProvisionedThroughput").put("NumberOfDecreasesToday", 0)
        .put("ReadCapacityUnits", read == null ? 0 : read).put("WriteCapacityUnits", write == null ? 0 : write);
  }

  private static java.math.BigDecimal epochSeconds(Instant t) {
    return java.math.BigDecimal.valueOf(t.toEpochMilli(), 3);
  }

  // ------------------------------------------------------------------ time to live

  /**
   * TTL settings are kept, and reported, but expired items are never deleted: AWS deletes expired
   * items lazily, typically within a few days of expiry, and never before; the functions write TTL
   * attributes from the runtime's virtual clock, and a rehearsal spans minutes to hours of it, so
   * keeping every item is within what AWS does, and expired items stay visible to reads as AWS
   * documents until they are deleted.
   */
  private JsonNode updateTimeToLive(Scope scope, ObjectNode r) {
    JsonNode spec = r.get("TimeToLiveSpecification");
    Constraints shape = new Constraints().tableName("tableName", r.get("TableName"))
        .required("timeToLiveSpecification", spec);
    if (ExpressionContext.present(spec)) {
      shape.required("timeToLiveSpecification.enabled", spec.get("Enabled"))
          .required("timeToLiveSpecification.attributeName", spec.get("AttributeName"));
      JsonNode attribute = spec.get("AttributeName");
      if (attribute != null && attribute.isTextual() && attribute.asText().isEmpty()) {
        shape.fail("timeToLiveSpecification.attributeName", attribute,
            "Member must have length greater than or equal to 1");
      }
    }
    shape.check();
    Table table = scope.table(r.get("TableName").asText());
    boolean enable = spec.get("Enabled").asBoolean();
    String attribute = spec.get("AttributeName").asText();
    Instant now = sim.now();
    table.lock.lock();
    try {
      if (enable && table.ttlAttribute() != null) {
        throw DynamoDbException.validation("TimeToLive is already enabled");
      }
      if (!enable && table.ttlAttribute() == null) {
        throw DynamoDbException.validation("TimeToLive is already disabled");
      }
      if (table.ttlChangedAt() != null && now.isBefore(table.ttlChangedAt().plus(TTL_CHANGE_INTERVAL))) {
        throw DynamoDbException.validation("Time to live has been modified multiple times within a fixed interval");
      }
      table.ttl(enable ? attribute : null, now);
    } finally {
      table.lock.unlock();
    }
    ObjectNode out = LocalJson.object();
    out.putObject("TimeToLiveSpecification").put("Enabled", enable).put("AttributeName", attribute);
    return out;
  }

  private JsonNode describeTimeToLive(Scope scope, ObjectNode r) {
    new Constraints().tableName("tableName", r.get("TableName")).check();
    Table table = scope.table(r.get("TableName").asText());
    ObjectNode out = LocalJson.object();
    ObjectNode d = out.putObject("TimeToLiveDescription");
    String attribute;
    table.lock.lock();
    try {
      attribute = table.ttlAttribute();
    } finally {
      table.lock.unlock();
    }
    d.put("TimeToLiveStatus", attribute == null ? "DISABLED" : "ENABLED");
    if (attribute != null) {
      d.put("AttributeName", attribute);
    }
    return out;
  }

  // ------------------------------------------------------------------ the template's tables

  /**
   * Creates the template's tables as CloudFormation would: key schema, attributes, billing mode,
   * throughput, secondary indexes, streams, then {@code UpdateTimeToLive} where TTL is enabled.
   */
  public void createTables(Collection<TableDef> tables) {
    for (TableDef t : tables) {
      try {
        call("CreateTable", createTableRequest(t));
      } catch (AwsServiceException e) {
        throw new IllegalStateException("cannot create table " + t.name() + " (" + t.logicalId() + "): " + e.code()
            + ": " + e.getMessage(), e);
      }
      if (t.ttlAttribute() != null) {
        ObjectNode ttl = LocalJson.object().put("TableName", t.name());
        ttl.putObject("TimeToLiveSpecification").put("AttributeName", t.ttlAttribute()).put("Enabled", true);
        call("UpdateTimeToLive", ttl);
      }
    }
  }

  static ObjectNode createTableRequest(TableDef t) {
    ObjectNode r = LocalJson.object();
    r.put("TableName", t.name());
    ArrayNode attributes = r.putArray("AttributeDefinitions");
    t.attributeDefinitions().forEach((name, type) -> attributes.addObject().put("AttributeName", name)
        .put("AttributeType", type));
    keySchema(r.putArray("KeySchema"), t.keySchema());
    r.put("BillingMode", t.billingMode());
    if (t.provisionedThroughput() != null) {
      throughput(r, t.provisionedThroughput());
    }
    if (!t.globalSecondaryIndexes().isEmpty()) {
      ArrayNode gsis = r.putArray("GlobalSecondaryIndexes");
      t.globalSecondaryIndexes().forEach(i -> index(gsis.addObject(), i));
    }
    if (!t.localSecondaryIndexes().isEmpty()) {
      ArrayNode lsis = r.putArray("LocalSecondaryIndexes");
      t.localSecondaryIndexes().forEach(i -> index(lsis.addObject(), i));
    }
    if (t.streamViewType() != null) {
      r.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", t.streamViewType());
    }
    if (t.deletionProtection()) {
      r.put("DeletionProtectionEnabled", true);
    }
    return r;
  }

  private static void keySchema(ArrayNode out, List<KeyElement> keys) {
    keys.forEach(k -> out.addObject().put("AttributeName", k.attributeName()).put("KeyType", k.keyType()));
  }

  private static void throughput(ObjectNode out, TableDef.Throughput t) {
    out.putObject("ProvisionedThroughput").put("ReadCapacityUnits", t.readCapacityUnits())
        .put("WriteCapacityUnits", t.writeCapacityUnits());
  }

  private static void index(ObjectNode out, IndexDef i) {
    out.put("IndexName", i.name());
    keySchema(out.putArray("KeySchema"), i.keySchema());
    ObjectNode projection = out.putObject("Projection").put("ProjectionType", i.projectionType());
    if (!i.nonKeyAttributes().isEmpty()) {
      ArrayNode nonKey = projection.putArray("NonKeyAttributes");
      i.nonKeyAttributes().forEach(nonKey::add);
    }
    if (i.throughput() != null) {
      throughput(out, i.throughput());
    }
  }
}
