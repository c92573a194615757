package dev.poolshift.local.report;

import static dev.poolshift.local.report.BadModelReport.chart;
import static dev.poolshift.local.report.BadModelReport.points;
import static dev.poolshift.local.report.BadModelReport.tags;
import static dev.poolshift.local.report.BadModelReport.title;
import static dev.poolshift.local.report.BadModelReport.valueAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rollback rehearsal's page as a browser shows it: Debian's Chromium, headless, opens the file
 * {@code run --html} wrote (nothing else: no server, no network), runs its script, and hands back
 * the resulting DOM ({@code --dump-dom}) and a screenshot, kept in {@code
 * tests/target/report-screenshots/bad-model.png}.
 *
 * <p>{@code ./poolshift test} installs Chromium first; a missing browser is a failure that says so.
 * The only way to skip is the documented opt-out {@code POOLSHIFT_SKIP_BROWSER_TEST=1}.
 */
class HtmlReportBrowserTest {
  static final String OPT_OUT = "POOLSHIFT_SKIP_BROWSER_TEST";
  static final Path SCREENSHOT = Path.of("tests/target/report-screenshots/bad-model.png");
  private static final int WIDTH = 1400;
  private static final int HEIGHT = 2700;
  private static final String ENDPOINT = "fraud-scoring-prod";
  private static Path profile;
  private static String dom;

  @BeforeAll
  static void render() throws Exception {
    Assumptions.assumeFalse("1".equals(System.getenv(OPT_OUT)), OPT_OUT + "=1: the browser test is skipped");
    String chromium = chromium();
    Path page = BadModelReport.run().page();
    profile = Files.createTempDirectory("poolshift-chromium");
    dom = chromium(chromium, "--dump-dom", page).stdout();
    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);
    chromium(chromium, "--screenshot=" + SCREENSHOT.toAbsolutePath(), page);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void chromiumRendersEveryChartAndRunsThePageScript() {
    assertThat(tags(dom, "body", "data-ready", "true")).as("the page's script ran to its end").hasSize(1);
    assertThat(tags(dom, "svg", "class", "tl")).extracting(t -> t.attr("id")).containsExactly("chart-events",
        "chart-weights-" + ENDPOINT, "chart-instances-" + ENDPOINT, "chart-alarms", "chart-errors-variant-" + ENDPOINT,
        "chart-errors-type-" + ENDPOINT, "chart-p99-variant-" + ENDPOINT, "chart-p99-type-" + ENDPOINT);
    assertThat(tags(dom, "line", "class", "crosshair")).hasSize(8);
    assertThat(tags(dom, "path", "data-series", null)).hasSizeGreaterThanOrEqualTo(14);
  }

  @Test
  void theRollbackMarkersAreThereWithHoverTitles() {
    String events = chart(dom, "chart-events");

    List<String> kinds = new ArrayList<>();
    for (BadModelReport.Tag m : tags(events, "g", "data-kind", null)) {
      kinds.add(m.attr("data-kind"));
      assertThat(title(events, m)).as("hover title of " + m.attr("data-label")).isNotBlank();
    }

    assertThat(kinds).contains("approval", "execution-start", "execution-end", "weight-shift", "alarm",
        "rollback-weights", "rollback-config");
  }

  @Test
  void theBaselineWeightReturnsToAllTheTrafficAfterTheAlarm() throws IOException {
    double alarm = Double.parseDouble(tags(chart(dom, "chart-events"), "g", "data-state", "ALARM").stream()
        .filter(t -> t.attr("data-label").startsWith("poolshift-" + ENDPOINT + "-canary-v2-5xx-rate "))
        .findFirst().orElseThrow().attr("data-t"));
    double restoreCall = Double.parseDouble(tags(chart(dom, "chart-events"), "g", "data-kind", "rollback-weights")
        .get(0).attr("data-t"));
    String weights = chart(dom, "chart-weights-" + ENDPOINT);
    List<double[]> baseline = points(tags(weights, "path", "data-series", "AllTraffic").get(0));
    List<double[]> canary = points(tags(weights, "path", "data-series", "canary-v2").get(0));

    double[] back = baseline.stream().filter(p -> p[0] > alarm && p[1] == 100).findFirst().orElseThrow();

    assertThat(valueAt(baseline, alarm)).as("baseline share when the alarm fired").isEqualTo(90);
    assertThat(valueAt(canary, alarm)).as("canary share when the alarm fired").isEqualTo(10);
    assertThat(restoreCall).as("weights call").isBetween(alarm, back[0]);
    assertThat(baseline.subList(baseline.indexOf(back), baseline.size())).extracting(p -> p[1]).containsOnly(100.0);
    assertThat(valueAt(canary, back[0])).isZero();
    assertThat(tags(weights, "line", "data-kind", "alarm")).extracting(t -> Double.parseDouble(t.attr("data-t")))
        .as("the alarm's guide line crosses the weights chart").contains(alarm);
    assertScreenshot();
  }

  private static void assertScreenshot() throws IOException {
    assertThat(SCREENSHOT).isRegularFile();
    try (InputStream in = Files.newInputStream(SCREENSHOT); DataInputStream data = new DataInputStream(in)) {
      byte[] signature = data.readNBytes(8);
      assertThat(signature).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
      data.readInt();
      assertThat(new String(data.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("IHDR");
      assertThat(data.readInt()).as("width").isEqualTo(WIDTH);
      assertThat(data.readInt()).as("height").isEqualTo(HEIGHT);
    }
    assertThat(Files.size(SCREENSHOT)).as("a page of charts, not a blank one").isGreaterThan(100_000);
  }

  record Result(int exit, String stdout) {}

  private static Result chromium(String chromium, String action, Path page) throws IOException, InterruptedException {
    Path log = Files.createTempFile("chromium", ".log");
    Path out = Files.createTempFile("chromium", ".out");
    try {
      List<String> command = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile, "--hide-scrollbars", "--window-size=" + WIDTH + "," + HEIGHT, action,
          page.toUri().toString());
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("chromium timed out: " + command + "\n" + Files.readString(log));
      }
      assertThat(p.exitValue()).as(Files.readString(log)).isZero();
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
      Files.deleteIfExists(out);
    }
  }

  /** {@code POOLSHIFT_CHROMIUM}, else Debian's {@code /usr/bin/chromium}, else one on PATH. */
  static String chromium() {
    List<Path> candidates = new ArrayList<>();
    String configured = System.getenv("POOLSHIFT_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    candidates.add(Path.of("/usr/bin/chromium"));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "chromium"));
        candidates.add(Path.of(dir, "chromium-browser"));
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c)) {
        return c.toString();
      }
    }
    return fail("no Chromium (tried " + candidates + "): run ./poolshift test, which installs Debian's chromium, "
        + "or set POOLSHIFT_CHROMIUM, or " + OPT_OUT + "=1 to skip the browser test");
  }
}
