package dev.poolshift.local.lambda;

import java.nio.charset.StandardCharsets;

/**
 * What the Invoke API returns for a synchronous call the service accepted: status 200, the
 * response payload, and {@code X-Amz-Function-Error: Unhandled} when the function failed (an
 * exception, a timeout, an init error). Service errors are {@link LambdaServiceException}s instead.
 *
 * @param functionError {@code "Unhandled"} or null
 * @param logResult base64 of the last 4 KB of the log when the request asked for it, else null
 */
public record InvokeResult(int statusCode, byte[] payload, String functionError, String executedVersion,
    String requestId, String logResult) {

  public boolean failed() {
    return functionError != null;
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
