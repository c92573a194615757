package dev.poolshift.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.json.LocalJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The AWS JSON 1.0 / 1.1 protocols: {@code POST /}, operation in {@code X-Amz-Target:
 * <prefix>.<Operation>}, JSON documents in and out (timestamps as epoch seconds), errors as
 * {@code {"__type", "message"}} with a 4xx/5xx status. An unknown operation is answered here only:
 * 400 {@code UnknownOperationException} in the {@code com.amazon.coral.service} namespace, as AWS's
 * JSON services send it (clients keep what follows the {@code #}).
 *
 * <p>A service that moved from the Query protocol ({@code awsQueryCompatible}, such as CloudWatch)
 * keeps its Query error codes: the body names the error shape and the {@code x-amzn-query-error:
 * Code;Sender} header carries the Query code the client reports.
 */
public final class AwsJson {
  static final String UNKNOWN_OPERATION = "com.amazon.coral.service#UnknownOperationException";

  private AwsJson() {}

  /** How a Query-compatible service names its errors on the JSON / CBOR wire. */
  @FunctionalInterface
  public interface QueryCompatibleErrors {
    /** The error shape id (e.g. {@code com.amazonaws.cloudwatch#InvalidParameterValueException}) for a Query code. */
    String shapeId(String queryCode);
  }

  /** Serves one JSON-protocol request for a service whose operations read {@link RequestParams}. */
  public static HttpReply serve(HttpCall call, String jsonVersion, QueryProtocol.Operations operations,
      QueryCompatibleErrors compatible) {
    String contentType = "application/x-amz-json-" + jsonVersion;
    String requestId = UUID.randomUUID().toString();
    try {
      String operation = operation(call);
      JsonNode parsed;
      try {
        parsed = call.body().length == 0 ? LocalJson.object() : LocalJson.parse(call.bodyText());
      } catch (IllegalArgumentException e) {
        throw AwsServiceException.client("SerializationException", e.getMessage());
      }
      Doc.Struct output = operations.invoke(operation, NodeParams.of(parsed));
      JsonNode body = output == null ? LocalJson.object() : toJson(output);
      return new HttpReply(200, contentType, Map.of("x-amzn-RequestId", requestId),
          LocalJson.write(body).getBytes(StandardCharsets.UTF_8));
    } catch (UnknownOperationException e) {
      return unknownOperation(contentType, requestId, e);
    } catch (AwsServiceException e) {
      return error(contentType, requestId, e, compatible);
    } catch (RuntimeException e) {
      e.printStackTrace();
      return error(contentType, requestId, new AwsServiceException(500, "InternalFailure", String.valueOf(e)),
          compatible);
    }
  }

  /** The operation named by {@code X-Amz-Target}, or an unknown operation when there is none. */
  static String operation(HttpCall call) {
    String target = call.header("x-amz-target");
    if (target == null || !target.contains(".")) {
      throw new UnknownOperationException(target == null ? "(no X-Amz-Target)" : target);
    }
    return target.substring(target.indexOf('.') + 1);
  }

  static HttpReply unknownOperation(String contentType, String requestId, UnknownOperationException e) {
    ObjectNode body = LocalJson.object().put("__type", UNKNOWN_OPERATION)
        .put("message", "The operation " + e.operation() + " is not supported by this service.");
    return new HttpReply(400, contentType, Map.of("x-amzn-RequestId", requestId,
        "x-amzn-ErrorType", "UnknownOperationException"), LocalJson.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /** An error reply; with {@code compatible} the body names the shape and the Query code rides in a header. */
  static HttpReply error(String contentType, String requestId, AwsServiceException e, QueryCompatibleErrors compatible) {
    Map<String, String> headers = new LinkedHashMap<>(errorHeaders(requestId, e, compatible));
    ObjectNode body = LocalJson.object().put("__type", errorType(e, compatible)).put("message", e.getMessage());
    if (e.details() != null) {
      ((ObjectNode) toJson(e.details())).properties().forEach(m -> body.set(m.getKey(), m.getValue()));
    }
    return new HttpReply(e.status(), contentType, headers, LocalJson.write(body).getBytes(StandardCharsets.UTF_8));
  }

  static String errorType(AwsServiceException e, QueryCompatibleErrors compatible) {
    return compatible == null ? e.code() : compatible.shapeId(e.code());
  }

  static Map<String, String> errorHeaders(String requestId, AwsServiceException e, QueryCompatibleErrors compatible) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amzn-RequestId", requestId);
    // The error's shape, as __type names it (clients read this header before the body).
    String type = errorType(e, compatible);
    headers.put("x-amzn-ErrorType", type.substring(type.indexOf('#') + 1));
    if (compatible != null) {
      headers.put("x-amzn-query-error", e.code() + ";" + (e.status() >= 500 ? "Receiver" : "Sender"));
    }
    return headers;
  }

  /** The JSON form of an output document: timestamps become epoch seconds with millisecond precision. */
  public static JsonNode toJson(Object value) {
    return switch (value) {
      case Doc.Struct s -> {
        ObjectNode o = LocalJson.object();
        s.members().forEach((k, v) -> o.set(k, toJson(v)));
        yield o;
      }
      case Doc.MapValue m -> {
        ObjectNode o = LocalJson.object();
        m.entries().forEach((k, v) -> o.set(k, toJson(v)));
        yield o;
      }
      case Doc.ListValue l -> array(l.items());
      case List<?> l -> array(l);
      case Instant i -> LocalJson.NODES.numberNode(BigDecimal.valueOf(i.toEpochMilli(), 3));
      case String s -> LocalJson.NODES.textNode(s);
      case Boolean b -> LocalJson.NODES.booleanNode(b);
      case Integer i -> LocalJson.NODES.numberNode(i);
      case Long l -> LocalJson.NODES.numberNode(l);
      case Double d -> Double.isFinite(d) ? LocalJson.NODES.numberNode(d)
          : LocalJson.NODES.textNode(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
      case BigDecimal d -> LocalJson.NODES.numberNode(d);
      case JsonNode n -> n;
      default -> LocalJson.NODES.textNode(String.valueOf(value));
    };
  }

  private static ArrayNode array(List<?> items) {
    ArrayNode a = LocalJson.MAPPER.createArrayNode();
    items.forEach(i -> a.add(toJson(i)));
    return a;
  }
}
