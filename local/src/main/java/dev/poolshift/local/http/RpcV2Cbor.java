package dev.poolshift.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.json.LocalJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Smithy RPC v2 CBOR: {@code POST /service/<ServiceName>/operation/<Operation>} with the header
 * {@code smithy-protocol: rpc-v2-cbor}, CBOR bodies ({@code application/cbor}) in and out,
 * timestamps as CBOR tag 1 (epoch seconds), errors as a CBOR map with {@code __type} and the
 * error's status; a Query-compatible service adds {@code x-amzn-query-error} as on AWS JSON.
 * Every response carries {@code smithy-protocol: rpc-v2-cbor}. An unknown operation is answered
 * here only: the specification routes by path, so an operation that is not there is a 404 with
 * {@code UnknownOperationException} (what Smithy's own servers answer for an unmatched route).
 */
public final class RpcV2Cbor {
  static final String CONTENT_TYPE = "application/cbor";
  private static final Pattern PATH = Pattern.compile("^/service/([^/]+)/operation/([^/?]+)$");

  private RpcV2Cbor() {}

  /** The service name of an RPC v2 path ({@code /service/<name>/operation/<op>}), or null. */
  public static String serviceName(HttpCall call) {
    Matcher m = PATH.matcher(call.path());
    return "POST".equals(call.method()) && m.matches() ? m.group(1) : null;
  }

  /** Whether {@code call} is an RPC v2 CBOR request (by path; the header is checked when served). */
  public static boolean matches(HttpCall call) {
    return serviceName(call) != null;
  }

  public static HttpReply serve(HttpCall call, QueryProtocol.Operations operations,
      AwsJson.QueryCompatibleErrors compatible) {
    String requestId = UUID.randomUUID().toString();
    Matcher m = PATH.matcher(call.path());
    String operation = m.matches() ? m.group(2) : "";
    try {
      if (!"rpc-v2-cbor".equals(call.header("smithy-protocol"))) {
        throw AwsServiceException.client("SerializationException",
            "an RPC v2 CBOR request must carry the header smithy-protocol: rpc-v2-cbor");
      }
      JsonNode parsed;
      try {
        parsed = call.body().length == 0 ? null : LocalJson.CBOR.readTree(call.body());
      } catch (IOException e) {
        throw AwsServiceException.client("SerializationException", "the body is not valid CBOR: " + e.getMessage());
      }
      Doc.Struct output = operations.invoke(operation, NodeParams.of(parsed));
      return reply(200, Map.of("x-amzn-RequestId", requestId), output == null ? Doc.struct() : output);
    } catch (UnknownOperationException e) {
      Doc.Struct body = Doc.struct().put("__type", "UnknownOperationException")
          .put("message", "The operation " + e.operation() + " is not supported by this service.");
      return reply(404, Map.of("x-amzn-RequestId", requestId), body);
    } catch (AwsServiceException e) {
      return error(requestId, e, compatible);
    } catch (RuntimeException e) {
      e.printStackTrace();
      return error(requestId, new AwsServiceException(500, "InternalFailure", String.valueOf(e)), compatible);
    }
  }

  private static HttpReply error(String requestId, AwsServiceException e, AwsJson.QueryCompatibleErrors compatible) {
    Doc.Struct body = Doc.struct().put("__type", AwsJson.errorType(e, compatible)).put("message", e.getMessage());
    if (e.details() != null) {
      e.details().members().forEach(body::put);
    }
    return reply(e.status(), AwsJson.errorHeaders(requestId, e, compatible), body);
  }

  private static HttpReply reply(int status, Map<String, String> headers, Doc.Struct body) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("smithy-protocol", "rpc-v2-cbor");
    return new HttpReply(status, CONTENT_TYPE, all, encode(body));
  }

  /** The CBOR encoding of an output document, with definite lengths and timestamps as tag 1. */
  public static byte[] encode(Doc.Struct document) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = (CBORGenerator) LocalJson.CBOR.getFactory().createGenerator(out)) {
      write(g, document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(CBORGenerator g, Object value) throws IOException {
    switch (value) {
      case Doc.Struct s -> writeMap(g, s.members());
      case Doc.MapValue m -> writeMap(g, m.entries());
      case Doc.ListValue l -> writeList(g, l.items());
      case List<?> l -> writeList(g, l);
      case Instant i -> {
        g.writeTag(1);
        g.writeNumber(i.toEpochMilli() / 1000.0);
      }
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case BigDecimal d -> g.writeNumber(d.doubleValue());
      default -> g.writeString(String.valueOf(value));
    }
  }

  private static void writeMap(CBORGenerator g, Map<String, Object> members) throws IOException {
    g.writeStartObject(members, members.size());
    for (Map.Entry<String, Object> e : members.entrySet()) {
      g.writeFieldName(e.getKey());
      write(g, e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeList(CBORGenerator g, List<?> items) throws IOException {
    g.writeStartArray(items, items.size());
    for (Object item : items) {
      write(g, item);
    }
    g.writeEndArray();
  }
}
