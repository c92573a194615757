package dev.poolshift.local.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One HTTP request as a local service sees it. Header names are lower-case. */
public record HttpCall(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
