package dev.poolshift.local.cloudwatch;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;

/** Builds the small XML documents of the AWS Query protocol. */
final class XmlWriter {
  private final StringBuilder out = new StringBuilder();
  private final Deque<String> open = new ArrayDeque<>();

  XmlWriter start(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  XmlWriter start(String name, String xmlns) {
    out.append('<').append(name).append(" xmlns=\"").append(escape(xmlns)).append("\">");
    open.push(name);
    return this;
  }

  XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** {@code <name>value</name>}, or nothing when {@code value} is null. */
  XmlWriter leaf(String name, Object value) {
    if (value == null) {
      return this;
    }
    String text = value instanceof Instant i ? DateTimeFormatter.ISO_INSTANT.format(i) : String.valueOf(value);
    out.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
    return this;
  }

  static String escape(String s) {
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
}
