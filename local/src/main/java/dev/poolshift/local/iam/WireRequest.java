package dev.poolshift.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.http.HttpCall;
import dev.poolshift.local.http.NodeParams;
import dev.poolshift.local.http.QueryParams;
import dev.poolshift.local.http.RequestParams;
import dev.poolshift.local.http.RpcV2Cbor;
import dev.poolshift.local.json.LocalJson;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request as IAM needs it, whatever protocol carried it: the operation and its input. AWS JSON
 * ({@code X-Amz-Target}), Smithy RPC v2 CBOR ({@code /service/<name>/operation/<op>}) and the
 * Query protocol ({@code Action=...} form) all come down to the same.
 *
 * @param document the input as a JSON tree (JSON and CBOR), or null on the Query protocol
 */
record WireRequest(Protocol protocol, String operation, RequestParams params, ObjectNode document,
    String contentType) {

  enum Protocol { JSON, CBOR, QUERY }

  private static final Pattern RPC_PATH = Pattern.compile("^/service/[^/]+/operation/([^/?]+)$");

  /** The request's operation and input, or null when neither can be read (the service answers that itself). */
  static WireRequest decode(HttpCall call) {
    try {
      if (RpcV2Cbor.matches(call)) {
        Matcher m = RPC_PATH.matcher(call.path());
        if (!m.matches()) {
          return null;
        }
        JsonNode tree = call.body().length == 0 ? LocalJson.object() : LocalJson.CBOR.readTree(call.body());
        return tree instanceof ObjectNode o ? new WireRequest(Protocol.CBOR, m.group(1), NodeParams.of(o), o,
            "application/cbor") : null;
      }
      String target = call.header("x-amz-target");
      if (target != null) {
        if (!target.contains(".")) {
          return null;
        }
        JsonNode tree = call.body().length == 0 ? LocalJson.object() : LocalJson.parse(call.bodyText());
        String contentType = call.header("content-type");
        return tree instanceof ObjectNode o ? new WireRequest(Protocol.JSON, target.substring(target.indexOf('.') + 1),
            NodeParams.of(o), o, contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(
                "application/x-amz-json") ? "application/x-amz-json-1.1" : contentType) : null;
      }
      QueryParams params = QueryParams.parse(call.body().length > 0 ? call.bodyText() : call.query());
      String action = params.string("Action");
      return action == null ? null : new WireRequest(Protocol.QUERY, action, params, null, "text/xml");
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** A string member of the JSON input, or null. */
  String text(String member) {
    if (document != null) {
      JsonNode v = document.get(member);
      return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
    try {
      return params.string(member);
    } catch (RuntimeException wrongType) {
      return null;
    }
  }

  /** A string member that names the resource: absent means the service answers with its own validation error. */
  String required(String member) {
    String v = text(member);
    if (v == null || v.isEmpty()) {
      throw new ServiceRequests.MissingMemberException(member);
    }
    return v;
  }
}
