package dev.poolshift.local.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP response from a local service. */
public record HttpReply(int status, String contentType, Map<String, String> headers, byte[] body) {
  public static HttpReply of(int status, String contentType, String body) {
    return new HttpReply(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }
}
