package dev.poolshift.local.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rollback rehearsal ({@code events/scenarios/bad-model.json}) run once per test JVM as a user
 * runs it, {@code run SCENARIO --html FILE}, and helpers to read the page's elements by their
 * {@code data-} attributes (the page carries its data there, in a served page or a browser's DOM).
 */
final class BadModelReport {
  record Run(String stdout, String stderr, int exitCode, Path page, String html) {}

  /** One element's start tag: its name and attributes (entities decoded). */
  record Tag(String name, Map<String, String> attributes, int offset) {
    String attr(String name) {
      return attributes.get(name);
    }
  }

  private static Run run;

  private BadModelReport() {}

  static synchronized Run run() {
    if (run == null) {
      try {
        Path dir = Files.createTempDirectory("poolshift-report");
        Path page = dir.resolve("bad-model.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", "events/scenarios/bad-model.json", "--html", page.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(page).as(err.toString(StandardCharsets.UTF_8)).isRegularFile();
        run = new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code, page,
            Files.readString(page, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return run;
  }

  private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\\s*=\\s*\"[^\"]*\")?)*)\\s*/?>");
  private static final Pattern ATTR = Pattern.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\\s*=\\s*\"([^\"]*)\")?");

  /** The start tags named {@code name} carrying attribute {@code attr} = {@code value} (any value when null). */
  static List<Tag> tags(String html, String name, String attr, String value) {
    List<Tag> out = new ArrayList<>();
    Matcher m = TAG.matcher(html);
    while (m.find()) {
      if (!m.group(1).equalsIgnoreCase(name)) {
        continue;
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      Matcher a = ATTR.matcher(m.group(2));
      while (a.find()) {
        attributes.put(a.group(1), a.group(2) == null ? "" : decode(a.group(2)));
      }
      if (attr == null || (attributes.containsKey(attr) && (value == null || value.equals(attributes.get(attr))))) {
        out.add(new Tag(m.group(1), attributes, m.start()));
      }
    }
    return out;
  }

  /** The markup of the chart {@code <svg id=...>}, up to its end. */
  static String chart(String html, String id) {
    int start = html.indexOf("id=\"" + id + "\"");
    assertThat(start).as("chart " + id).isPositive();
    return html.substring(html.lastIndexOf("<svg", start), html.indexOf("</svg>", start) + "</svg>".length());
  }

  /** The text of the {@code <title>} right inside the element that starts at {@code tag}. */
  static String title(String html, Tag tag) {
    int open = html.indexOf("<title>", tag.offset());
    int close = html.indexOf("</title>", open);
    assertThat(open).as("a <title> after " + tag).isPositive();
    return decode(html.substring(open + "<title>".length(), close));
  }

  /** A series' {@code data-points}: {t, v} pairs, NaN for a gap. */
  static List<double[]> points(Tag series) {
    List<double[]> out = new ArrayList<>();
    for (String p : series.attr("data-points").split(";")) {
      int i = p.indexOf(':');
      String v = p.substring(i + 1);
      out.add(new double[] {Double.parseDouble(p.substring(0, i)), v.equals("-") ? Double.NaN : Double.parseDouble(v)});
    }
    return out;
  }

  /** A step series' value at {@code t}: the last point at or before it. */
  static double valueAt(List<double[]> points, double t) {
    double v = Double.NaN;
    for (double[] p : points) {
      if (p[0] <= t) {
        v = p[1];
      }
    }
    return v;
  }

  private static String decode(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
  }
}
