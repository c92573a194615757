package dev.poolshift.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.json.LocalJson;
import java.util.UUID;

/**
 * Base for services on the AWS JSON 1.0 / 1.1 protocols: {@code POST /}, operation in {@code
 * X-Amz-Target: <prefix>.<Operation>}, JSON in and out, errors as {@code {"__type", "message"}}
 * with a 4xx/5xx status (how the SDK's JSON protocol unmarshaller expects them).
 */
public abstract class JsonProtocolService implements AwsService {
  private final String contentType;

  protected JsonProtocolService(String jsonVersion) {
    this.contentType = "application/x-amz-json-" + jsonVersion;
  }

  /** Runs one operation; returns the response document (use an empty object for none). */
  protected abstract JsonNode dispatch(String operation, ObjectNode request);

  @Override
  public final HttpReply handle(HttpCall call) {
    String target = call.header("x-amz-target");
    String requestId = UUID.randomUUID().toString();
    if (target == null || !target.contains(".")) {
      return error(requestId, AwsServiceException.client("UnknownOperationException", "missing X-Amz-Target"));
    }
    String operation = target.substring(target.indexOf('.') + 1);
    try {
      JsonNode parsed = call.body().length == 0 ? LocalJson.object() : LocalJson.parse(call.bodyText());
      if (!(parsed instanceof ObjectNode request)) {
        throw AwsServiceException.client("SerializationException", "request body must be a JSON object");
      }
      JsonNode response = dispatch(operation, request);
      return new HttpReply(200, contentType, java.util.Map.of("x-amzn-RequestId", requestId),
          LocalJson.write(response == null ? LocalJson.object() : response).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (AwsServiceException e) {
      return error(requestId, e);
    } catch (IllegalArgumentException e) {
      return error(requestId, AwsServiceException.client("SerializationException", e.getMessage()));
    }
  }

  private HttpReply error(String requestId, AwsServiceException e) {
    ObjectNode body = LocalJson.object().put("__type", e.code()).put("message", e.getMessage());
    return new HttpReply(e.status(), contentType,
        java.util.Map.of("x-amzn-RequestId", requestId, "x-amzn-ErrorType", e.code()),
        LocalJson.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
