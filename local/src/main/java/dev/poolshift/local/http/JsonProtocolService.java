package dev.poolshift.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.json.LocalJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Base for services on the AWS JSON 1.0 / 1.1 protocols whose operations read and write the JSON
 * documents directly: {@code POST /}, operation in {@code X-Amz-Target: <prefix>.<Operation>},
 * errors as {@code {"__type", "message"}} (see {@link AwsJson}). A service throws
 * {@link UnknownOperationException} for an operation it lacks; the shape of that answer is
 * {@link AwsJson}'s, the same for every JSON service.
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
    String requestId = UUID.randomUUID().toString();
    try {
      String operation = AwsJson.operation(call);
      JsonNode parsed = call.body().length == 0 ? LocalJson.object() : LocalJson.parse(call.bodyText());
      if (!(parsed instanceof ObjectNode request)) {
        throw AwsServiceException.client("SerializationException", "request body must be a JSON object");
      }
      JsonNode response = dispatch(operation, request);
      return new HttpReply(200, contentType, Map.of("x-amzn-RequestId", requestId),
          LocalJson.write(response == null ? LocalJson.object() : response).getBytes(StandardCharsets.UTF_8));
    } catch (UnknownOperationException e) {
      return AwsJson.unknownOperation(contentType, requestId, e);
    } catch (AwsServiceException e) {
      return AwsJson.error(contentType, requestId, e, null);
    } catch (IllegalArgumentException e) {
      return AwsJson.error(contentType, requestId, AwsServiceException.client("SerializationException", e.getMessage()),
          null);
    }
  }
}
