package dev.poolshift.local.http;

import dev.poolshift.local.aws.AwsServiceException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The AWS Query protocol: {@code POST /} with a form body ({@code Action=...&Version=...}), XML
 * answers {@code <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>} in the
 * service's namespace, lists as {@code member} elements, maps as {@code entry/key/value}, and the
 * {@code ErrorResponse} document for errors. An unknown action is {@code InvalidAction}, here only.
 */
public final class QueryProtocol {
  private QueryProtocol() {}

  /** One operation of a Query service: returns its output, or null when the operation has none. */
  @FunctionalInterface
  public interface Operations {
    Doc.Struct invoke(String operation, RequestParams input);
  }

  public static HttpReply serve(HttpCall call, String xmlns, String version, Operations operations) {
    String requestId = UUID.randomUUID().toString();
    try {
      QueryParams params = QueryParams.parse(call.body().length > 0 ? call.bodyText() : call.query());
      String action = params.string("Action");
      if (action == null) {
        throw AwsServiceException.client("MissingAction", "The request must contain the parameter Action.");
      }
      Doc.Struct output;
      try {
        output = operations.invoke(action, params);
      } catch (UnknownOperationException e) {
        throw AwsServiceException.client("InvalidAction", "Could not find operation " + action + " for version "
            + version);
      }
      XmlWriter xml = new XmlWriter().start(action + "Response", xmlns);
      if (output != null) {
        writeMembers(xml.start(action + "Result"), output).end();
      }
      xml.start("ResponseMetadata").leaf("RequestId", requestId).end().end();
      return new HttpReply(200, "text/xml", Map.of("x-amzn-RequestId", requestId),
          xml.toString().getBytes(StandardCharsets.UTF_8));
    } catch (AwsServiceException e) {
      if (e.details() != null) {
        XmlWriter xml = new XmlWriter().start("ErrorResponse", xmlns).start("Error")
            .leaf("Type", e.status() >= 500 ? "Receiver" : "Sender").leaf("Code", e.code())
            .leaf("Message", e.getMessage());
        writeMembers(xml, e.details()).end().leaf("RequestId", requestId).end();
        return new HttpReply(e.status(), "text/xml", Map.of("x-amzn-RequestId", requestId),
            xml.toString().getBytes(StandardCharsets.UTF_8));
      }
      return XmlWriter.errorReply(xmlns, requestId, e.status(), e.code(), e.getMessage());
    } catch (RuntimeException e) {
      // A bug in the local service: answer as AWS does for internal errors, keep the cause visible.
      e.printStackTrace();
      return XmlWriter.errorReply(xmlns, requestId, 500, "InternalFailure", String.valueOf(e));
    }
  }

  private static XmlWriter writeMembers(XmlWriter xml, Doc.Struct struct) {
    struct.members().forEach((name, value) -> write(xml, name, value));
    return xml;
  }

  private static void write(XmlWriter xml, String name, Object value) {
    switch (value) {
      case Doc.Struct s -> writeMembers(xml.start(name), s).end();
      case Doc.ListValue l -> {
        xml.start(name);
        l.items().forEach(item -> write(xml, "member", item));
        xml.end();
      }
      case Doc.MapValue m -> {
        xml.start(name);
        m.entries().forEach((k, v) -> {
          xml.start("entry").leaf("key", k);
          write(xml, "value", v);
          xml.end();
        });
        xml.end();
      }
      case List<?> l -> {
        xml.start(name);
        l.forEach(item -> write(xml, "member", item));
        xml.end();
      }
      case Instant i -> xml.leaf(name, i);
      default -> xml.leaf(name, value);
    }
  }
}
