package dev.poolshift.local.http;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;

/** Builds the small XML documents of the AWS Query protocol. */
public final class XmlWriter {
  private final StringBuilder out = new StringBuilder();
  private final Deque<String> open = new ArrayDeque<>();

  public XmlWriter start(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  public XmlWriter start(String name, String xmlns) {
    out.append('<').append(name).append(" xmlns=\"").append(escape(xmlns)).append("\">");
    open.push(name);
    return this;
  }

  public XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** {@code <name>value</name>}, or nothing when {@code value} is null. */
  public XmlWriter leaf(String name, Object value) {
    if (value == null) {
      return this;
    }
    String text = value instanceof Instant i ? DateTimeFormatter.ISO_INSTANT.format(i) : String.valueOf(value);
    out.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
    return this;
  }

  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        case '\r' -> b.append("&#13;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed elements " + open);
    }
    return out.toString();
  }

  /** The AWS Query protocol's error document ({@code ErrorResponse}), as the SDK parses it. */
  public static HttpReply errorReply(String xmlns, String requestId, int status, String code, String message) {
    String body = new XmlWriter().start("ErrorResponse", xmlns)
        .start("Error").leaf("Type", status >= 500 ? "Receiver" : "Sender").leaf("Code", code)
        .leaf("Message", message).end()
        .leaf("RequestId", requestId).end().toString();
    return new HttpReply(status, "text/xml", java.util.Map.of("x-amzn-RequestId", requestId),
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
