package dev.poolshift.local.iam;

import dev.poolshift.local.http.Doc;
import dev.poolshift.local.http.HttpReply;
import dev.poolshift.local.http.RpcV2Cbor;
import dev.poolshift.local.http.XmlWriter;
import dev.poolshift.local.json.LocalJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A refused request, answered the way each protocol carries an authorization error:
 * <ul>
 *   <li>AWS JSON: HTTP 400, {@code __type} {@code AccessDeniedException} (DynamoDB names it in its
 *       {@code com.amazon.coral.service} namespace), {@code x-amzn-ErrorType} likewise;</li>
 *   <li>RPC v2 CBOR: the same document in CBOR;</li>
 *   <li>Query: HTTP 403 and an {@code ErrorResponse} with the code {@code AccessDenied}, except
 *       SNS, whose code is {@code AuthorizationError};</li>
 *   <li>CloudWatch, Query-compatible on JSON and CBOR, adds {@code x-amzn-query-error:
 *       AccessDenied;Sender} so its clients report the Query code.</li>
 * </ul>
 * The message is IAM's: {@code User: <assumed-role ARN> is not authorized to perform: <action>
 * on resource: <resource> because no identity-based policy allows the <action> action}, or
 * {@code ... with an explicit deny in an identity-based policy}.
 */
final class AccessDenied {
  private static final Map<String, String> QUERY_NAMESPACES = Map.of(
      "monitoring", "http://monitoring.amazonaws.com/doc/2010-08-01/",
      "sns", "http://sns.amazonaws.com/doc/2010-03-31/");

  private AccessDenied() {}

  static String message(String callerArn, String action, String resource, boolean explicit, String signingName) {
    String shown = displayed(action, signingName);
    return "User: " + callerArn + " is not authorized to perform: " + shown + " on resource: " + resource
        + (explicit ? " with an explicit deny in an identity-based policy"
            : " because no identity-based policy allows the " + shown + " action");
  }

  /** SNS writes its own actions with an upper-case prefix in these messages ({@code SNS:Publish}). */
  private static String displayed(String action, String signingName) {
    return signingName.equals("sns") && action.startsWith("sns:") ? "SNS:" + action.substring(4) : action;
  }

  static HttpReply reply(String signingName, WireRequest request, String message) {
    return reply(signingName, request, "AccessDeniedException", "AccessDenied", 400, 403, message);
  }

  /** Credentials the rehearsal rejects: the answer to an access key AWS does not know. */
  static HttpReply unrecognized(String signingName, WireRequest request) {
    return reply(signingName, request, "UnrecognizedClientException", "InvalidClientTokenId", 400, 403,
        "The security token included in the request is invalid.");
  }

  private static HttpReply reply(String signingName, WireRequest request, String jsonType, String queryCode,
      int jsonStatus, int queryStatus, String message) {
    String requestId = UUID.randomUUID().toString();
    if (request.protocol() == WireRequest.Protocol.QUERY) {
      String code = signingName.equals("sns") && queryCode.equals("AccessDenied") ? "AuthorizationError" : queryCode;
      String xmlns = QUERY_NAMESPACES.getOrDefault(signingName, "https://" + signingName + ".amazonaws.com/doc/");
      return XmlWriter.errorReply(xmlns, requestId, queryStatus, code, message);
    }
    String type = signingName.equals("dynamodb") ? "com.amazon.coral.service#" + jsonType : jsonType;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amzn-RequestId", requestId);
    headers.put("x-amzn-ErrorType", jsonType);
    if (signingName.equals("monitoring")) {
      headers.put("x-amzn-query-error", queryCode + ";Sender");
    }
    if (request.protocol() == WireRequest.Protocol.CBOR) {
      headers.put("smithy-protocol", "rpc-v2-cbor");
      return new HttpReply(jsonStatus, "application/cbor", headers,
          RpcV2Cbor.encode(Doc.struct().put("__type", type).put("message", message)));
    }
    return new HttpReply(jsonStatus, request.contentType(), headers, LocalJson.write(LocalJson.object()
        .put("__type", type).put("message", message)).getBytes(StandardCharsets.UTF_8));
  }
}
