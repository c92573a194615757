package dev.poolshift.rollout.usecase.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.poolshift.rollout.CanaryAlarmException;
import java.io.IOException;

/**
 * Why a rollout turned around ({@code $failure}): the error name, its cause, and the stage.
 * When a Lambda step threw, Step Functions' cause is the Lambda error object as JSON text
 * ({@code {"errorMessage": ..., "errorType": ..., "stackTrace": [...]}}); {@link #message()}
 * digs the message out so ledgers and notifications read as sentences, not stack traces.
 */
public record Failure(String error, String cause, String during) {
  private static final JsonFactory JSON = new JsonFactory();

  /** The cause as a person reads it. */
  public String message() {
    if (cause == null || cause.isBlank()) {
      return error == null ? "no cause given" : error;
    }
    String trimmed = cause.strip();
    if (trimmed.startsWith("{")) {
      String fromLambda = errorMessage(trimmed);
      if (fromLambda != null) {
        return fromLambda;
      }
    }
    return trimmed;
  }

  /** The error's simple name: {@code CanaryAlarmException} for the fully qualified one. */
  public String shortError() {
    if (error == null) {
      return "error";
    }
    int dot = error.lastIndexOf('.');
    return dot < 0 ? error : error.substring(dot + 1);
  }

  private static String errorMessage(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("errorMessage".equals(field) && value == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      // Not JSON after all: the cause is plain text and is shown as it is.
      return null;
    }
  }
}
