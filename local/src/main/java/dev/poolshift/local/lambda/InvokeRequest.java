package dev.poolshift.local.lambda;

import java.nio.charset.StandardCharsets;

/**
 * One call of the Lambda Invoke API.
 *
 * @param functionName name, full ARN or partial ARN, optionally with {@code :qualifier}
 * @param qualifier version or alias, or null
 * @param payload the event as JSON bytes (empty means {@code {}})
 * @param origin who invokes (an execution ARN, a rule ARN, ...), recorded with the invocation so
 *     reports can group invocations by execution; may be null
 * @param logTail whether to return the last 4 KB of the log ({@code LogType: Tail})
 */
public record InvokeRequest(String functionName, String qualifier, byte[] payload, String origin, boolean logTail) {
  public InvokeRequest {
    if (functionName == null || functionName.isBlank()) {
      throw new IllegalArgumentException("functionName is required");
    }
    payload = payload == null ? new byte[0] : payload;
  }

  public static InvokeRequest of(String functionName, String payloadJson) {
    return new InvokeRequest(functionName, null, payloadJson.getBytes(StandardCharsets.UTF_8), null, false);
  }

  public InvokeRequest withOrigin(String newOrigin) {
    return new InvokeRequest(functionName, qualifier, payload, newOrigin, logTail);
  }

  public InvokeRequest withLogTail() {
    return new InvokeRequest(functionName, qualifier, payload, origin, true);
  }
}
