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
import dev.poolshift.local.template.TableDef;
import dev.poolshift.local.template.TableDef.IndexDef;
import dev.poolshift.local.template.TableDef.KeyElement;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * DynamoDB on the gateway (signing name {@code dynamodb}, {@code X-Amz-Target: DynamoDB_20120810.*}):
 * every request is passed as is to the JVM's {@link DynamoDbLocal}, so conditions, transactions,
 * expressions and errors are DynamoDB Local's own.
 *
 * <p><b>Isolation.</b> DynamoDB Local keeps one database per access key id and Region. Each
 * service instance (one per runtime) replaces the request's {@code Authorization} header with one
 * carrying its own access key id (and the Region the client signed for), so two runtimes in one
 * JVM never see each other's tables, whatever credentials their clients use. DynamoDB Local does
 * not check signatures.
 *
 * <p><b>ARNs.</b> DynamoDB Local names tables {@code arn:aws:dynamodb:ddblocal:000000000000:table/...};
 * responses are rewritten to the runtime's partition, Region and account (matching the
 * template's {@code !GetAtt Table.Arn}) and requests back, and {@code x-amz-crc32} is recomputed.
 */
public final class DynamoDbService implements AwsService {
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final String LOCAL_ARN_PREFIX = "arn:aws:dynamodb:ddblocal:000000000000:";
  private static final Pattern SCOPE_REGION = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/");
  private static final String TARGET_PREFIX = "DynamoDB_20120810";

  private static final java.util.Set<String> TTL_OPERATIONS =
      java.util.Set.of("UpdateTimeToLive", "DescribeTimeToLive");

  private final AwsContext aws;
  private final String accessKeyId;
  /** Table name → TTL attribute, for the tables whose TTL is enabled. */
  private final Map<String, String> ttl = new java.util.concurrent.ConcurrentHashMap<>();
  private final String arnPrefix;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  /** A service with its own database, isolated from every other instance in this JVM. */
  public DynamoDbService(AwsContext aws) {
    this(aws, "poolshift" + INSTANCES.incrementAndGet());
  }

  /**
   * A service whose database is the one of {@code accessKeyId} (letters and digits only, as
   * DynamoDB Local requires); two services with the same key share tables.
   */
  public DynamoDbService(AwsContext aws, String accessKeyId) {
    if (!accessKeyId.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("DynamoDB Local accepts only letters and digits in access key ids, got '"
          + accessKeyId + "'");
    }
    this.aws = aws;
    this.accessKeyId = accessKeyId;
    this.arnPrefix = "arn:" + aws.partition() + ":dynamodb:" + aws.region() + ":" + aws.accountId() + ":";
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  @Override
  public String signingName() {
    return "dynamodb";
  }

  @Override
  public String targetPrefix() {
    return TARGET_PREFIX;
  }

  @Override
  public HttpReply handle(HttpCall call) throws IOException {
    String target = call.header("x-amz-target");
    if (target == null) {
      return HttpReply.of(400, "application/x-amz-json-1.0",
          "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\",\"message\":\"missing X-Amz-Target\"}");
    }
    String auth = call.header("authorization");
    String region = aws.region();
    if (auth != null) {
      Matcher m = SCOPE_REGION.matcher(auth);
      if (m.find()) {
        region = m.group(1);
      }
    }
    String operation = target.substring(target.indexOf('.') + 1);
    if (TTL_OPERATIONS.contains(operation)) {
      try {
        return HttpReply.of(200, "application/x-amz-json-1.0",
            LocalJson.write(timeToLive(operation, (ObjectNode) LocalJson.parse(call.bodyText()))));
      } catch (AwsServiceException e) {
        return HttpReply.of(e.status(), "application/x-amz-json-1.0", LocalJson.write(LocalJson.object()
            .put("__type", "com.amazonaws.dynamodb.v20120810#" + e.code()).put("message", e.getMessage())));
      }
    }
    HttpResponse<byte[]> response = send(target, region, call.bodyText(), call.header("content-type"));
    return reply(response);
  }

  /**
   * TTL settings are kept here, not passed to DynamoDB Local: its background deletion job
   * compares the TTL attribute with the wall clock, while the functions write it from the
   * runtime's virtual clock, so it would delete live items (a parked task token, a queued
   * rollout's waiter) whenever virtual time lags the wall clock. AWS deletes expired items
   * lazily, within days, and never before they expire; never deleting them during a rehearsal is
   * within that.
   */
  private JsonNode timeToLive(String operation, ObjectNode request) {
    String table = request.path("TableName").asText();
    call("DescribeTable", LocalJson.object().put("TableName", table));
    if (operation.equals("UpdateTimeToLive")) {
      JsonNode spec = request.path("TimeToLiveSpecification");
      if (spec.path("Enabled").asBoolean()) {
        ttl.put(table, spec.path("AttributeName").asText());
      } else {
        ttl.remove(table);
      }
      ObjectNode out = LocalJson.object();
      out.set("TimeToLiveSpecification", spec.deepCopy());
      return out;
    }
    ObjectNode out = LocalJson.object();
    ObjectNode d = out.putObject("TimeToLiveDescription");
    String attribute = ttl.get(table);
    d.put("TimeToLiveStatus", attribute == null ? "DISABLED" : "ENABLED");
    if (attribute != null) {
      d.put("AttributeName", attribute);
    }
    return out;
  }

  /**
   * Calls one DynamoDB operation directly (no gateway), for the runtime and tests.
   *
   * @throws AwsServiceException with DynamoDB's error code ({@code ConditionalCheckFailedException}, ...)
   */
  public JsonNode call(String operation, ObjectNode request) {
    if (TTL_OPERATIONS.contains(operation)) {
      return timeToLive(operation, request);
    }
    HttpResponse<byte[]> response;
    try {
      response = send(TARGET_PREFIX + "." + operation, aws.region(), LocalJson.write(request), null);
    } catch (IOException e) {
      throw new IllegalStateException("DynamoDB Local did not answer " + operation + ": " + e.getMessage(), e);
    }
    String body = toOurArns(new String(response.body(), StandardCharsets.UTF_8));
    JsonNode parsed = body.isEmpty() ? LocalJson.object() : LocalJson.parse(body);
    if (response.statusCode() >= 300) {
      String type = parsed.path("__type").asText("InternalServerError");
      String message = parsed.has("Message") ? parsed.get("Message").asText() : parsed.path("message").asText();
      throw new AwsServiceException(response.statusCode(), type.substring(type.indexOf('#') + 1), message);
    }
    return parsed;
  }

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

  private static void keySchema(ArrayNode out, java.util.List<KeyElement> keys) {
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

  // ------------------------------------------------------------------ proxying

  private HttpResponse<byte[]> send(String target, String region, String body, String contentType) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(DynamoDbLocal.endpoint())
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType == null ? "application/x-amz-json-1.0" : contentType)
        .header("X-Amz-Target", target)
        .header("X-Amz-Date", "20260101T000000Z")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/20260101/" + region
            + "/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString(toLocalArns(body)))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling DynamoDB Local", e);
    }
  }

  private HttpReply reply(HttpResponse<byte[]> response) {
    byte[] body = toOurArns(new String(response.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    response.headers().firstValue("x-amzn-requestid").ifPresent(v -> headers.put("x-amzn-RequestId", v));
    if (response.headers().firstValue("x-amz-crc32").isPresent()) {
      CRC32 crc = new CRC32();
      crc.update(body);
      headers.put("x-amz-crc32", Long.toString(crc.getValue()));
    }
    String contentType = response.headers().firstValue("content-type").orElse("application/x-amz-json-1.0");
    return new HttpReply(response.statusCode(), contentType, headers, body);
  }

  private String toLocalArns(String text) {
    return text.replace(arnPrefix, LOCAL_ARN_PREFIX);
  }

  private String toOurArns(String text) {
    return text.replace(LOCAL_ARN_PREFIX, arnPrefix);
  }
}
