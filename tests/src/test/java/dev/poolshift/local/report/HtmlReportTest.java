package dev.poolshift.local.report;

import static dev.poolshift.local.report.BadModelReport.chart;
import static dev.poolshift.local.report.BadModelReport.points;
import static dev.poolshift.local.report.BadModelReport.tags;
import static dev.poolshift.local.report.BadModelReport.title;
import static dev.poolshift.local.report.BadModelReport.valueAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.scenario.TimelineLine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page {@code run --html} writes for the rollback rehearsal, read as served (no browser). */
class HtmlReportTest {
  private static final String ENDPOINT = "fraud-scoring-prod";
  private static final String CANARY_ALARM = "poolshift-fraud-scoring-prod-canary-v2-5xx-rate";

  @Test
  void runWithHtmlStreamsTheTimelineThenSummarisesAndSaysWhereThePageIs() {
    BadModelReport.Run run = BadModelReport.run();

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).startsWith("scenario bad-model\n")
        .contains("execution fraud-scoring-v2-2f3e6a9b187d started")
        .contains("execution fraud-scoring-v2-2f3e6a9b187d: ROLLED_BACK")
        .contains("HTML report: " + run.page()).doesNotContain("\r");
  }

  @Test
  void thePageIsSelfContainedAndSmall() {
    String html = BadModelReport.run().html();

    assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<link").doesNotContain("<img")
        .doesNotContain("@import").doesNotContain("url(").doesNotContain("http://").doesNotContain("https://");
    assertThat(tags(html, "script", "src", null)).isEmpty();
    assertThat(tags(html, "a", "href", null)).isEmpty();
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).as("bytes").isLessThan(300 * 1024);
  }

  @Test
  void theHeaderGivesTheOutcomeTheEndpointTheDurationsAndTAct() {
    String html = BadModelReport.run().html();

    assertThat(tags(html, "tr", "data-outcome", "ROLLED_BACK")).hasSize(1);
    assertThat(tags(html, "p", "data-t-act", null)).singleElement()
        .satisfies(t -> assertThat(Double.parseDouble(t.attr("data-t-act"))).isBetween(0.0, 5.0));
    assertThat(html).contains("T_act 0.850 s").contains("Endpoint <code>" + ENDPOINT + "</code> at the end")
        .contains("22 min 3 s").contains("21 min 1 s");
  }

  @Test
  void everyChartSharesOneVirtualTimeAxis() {
    String html = BadModelReport.run().html();

    List<BadModelReport.Tag> charts = tags(html, "svg", "class", "tl");

    assertThat(charts).extracting(t -> t.attr("id")).containsExactly("chart-events", "chart-weights-" + ENDPOINT,
        "chart-instances-" + ENDPOINT, "chart-alarms", "chart-errors-variant-" + ENDPOINT, "chart-errors-type-" + ENDPOINT,
        "chart-p99-variant-" + ENDPOINT, "chart-p99-type-" + ENDPOINT);
    assertThat(charts).extracting(t -> t.attr("data-end"), t -> t.attr("data-left"), t -> t.attr("data-plot"))
        .containsOnly(org.assertj.core.groups.Tuple.tuple("1322.6", "210", "970"));
  }

  @Test
  void markersNameTheApprovalExecutionWeightShiftAlarmAndBothRollbackCalls() {
    String html = chart(BadModelReport.run().html(), "chart-events");

    Map<String, String> firstTitleByKind = new java.util.LinkedHashMap<>();
    for (BadModelReport.Tag m : tags(html, "g", "data-kind", null)) {
      firstTitleByKind.putIfAbsent(m.attr("data-kind"), title(html, m));
    }

    assertThat(firstTitleByKind).containsOnlyKeys("approval", "execution-start", "execution-end", "update-endpoint",
        "weight-shift", "rollback-weights", "rollback-config", "alarm");
    assertThat(firstTitleByKind.get("approval")).contains("fraud-scoring/2 Approved");
    assertThat(firstTitleByKind.get("execution-end")).contains("ROLLED_BACK");
    assertThat(firstTitleByKind.get("weight-shift")).contains("'Shift traffic to the canary weight'")
        .contains("weights AllTraffic 90%, canary-v2 10%");
    assertThat(firstTitleByKind.get("rollback-weights")).contains("by the alarm function")
        .contains("weights AllTraffic 100%, canary-v2 0%");
    assertThat(firstTitleByKind.get("rollback-config")).contains("'Restore the original endpoint config'");
    assertThat(tags(html, "g", "data-state", "ALARM")).extracting(t -> t.attr("data-label"))
        .contains(CANARY_ALARM + " → ALARM");
  }

  @Test
  void theInstancesChartShowsTheBlueGreenUpdateHoldingASecondBaselineFleet() {
    String html = chart(BadModelReport.run().html(), "chart-instances-" + ENDPOINT);

    List<BadModelReport.Tag> inService = tags(html, "path", "class", "series");
    List<BadModelReport.Tag> held = tags(html, "path", "class", "series held");

    assertThat(inService).extracting(t -> t.attr("data-series"))
        .containsExactly("AllTraffic · ml.g5.2xlarge", "canary-v2 · ml.g5.2xlarge");
    List<double[]> baselineHeld = points(held.get(0));
    assertThat(baselineHeld.stream().mapToDouble(p -> p[1]).max().orElseThrow()).isEqualTo(4);
    assertThat(points(inService.get(0))).extracting(p -> p[1]).containsOnly(2.0);
    assertThat(points(inService.get(1))).extracting(p -> p[1]).startsWith(Double.NaN).contains(2.0).endsWith(0.0);
  }

  @Test
  void eachAlarmIsABandFromItsCreationWithItsStates() {
    String html = chart(BadModelReport.run().html(), "chart-alarms");

    List<BadModelReport.Tag> rows = tags(html, "g", "data-alarm", null);
    int canary = html.indexOf("data-alarm=\"" + CANARY_ALARM + "\"");
    List<BadModelReport.Tag> bands = tags(html.substring(canary, html.indexOf("</g>", canary)), "rect", "data-state", null);

    assertThat(rows).extracting(t -> t.attr("data-alarm")).startsWith("fraud-scoring-prod-model-latency-p99")
        .contains(CANARY_ALARM).hasSize(6);
    assertThat(bands).extracting(t -> t.attr("data-state")).containsExactly("INSUFFICIENT_DATA", "OK", "ALARM", "OK");
    double alarmAt = Double.parseDouble(bands.get(2).attr("data-from"));
    assertThat(alarmAt).isBetween(700.0, 720.0);
    assertThat(Double.parseDouble(bands.get(3).attr("data-to"))).as("deleted before the run ended").isLessThan(1322.6);
  }

  @Test
  void theMetricChartsShowTheCanarysErrorsAndBothVariantsLatency() {
    String html = BadModelReport.run().html();

    List<BadModelReport.Tag> errors = tags(chart(html, "chart-errors-variant-" + ENDPOINT), "path", "data-series", null);
    List<BadModelReport.Tag> p99 = tags(chart(html, "chart-p99-type-" + ENDPOINT), "path", "data-series", null);

    assertThat(errors).extracting(t -> t.attr("data-series")).containsExactly("AllTraffic", "canary-v2");
    // The last period is the one in which the weights went back: it holds the few dozen requests
    // the canary got before that, so its rate is the noisiest (15% true rate, one draw).
    List<double[]> canary = points(errors.get(1));
    assertThat(canary.subList(0, canary.size() - 1)).allSatisfy(p -> assertThat(p[1]).as("canary 5xx %")
        .isBetween(3.0, 30.0));
    assertThat(canary.get(canary.size() - 1)[1]).as("canary 5xx % as the weights went back").isBetween(3.0, 50.0);
    assertThat(points(errors.get(0))).allSatisfy(p -> assertThat(p[1]).as("baseline 5xx %").isLessThan(0.2));
    assertThat(p99).extracting(t -> t.attr("data-instance-type")).containsOnly("ml.g5.2xlarge");
    assertThat(p99).allSatisfy(s -> assertThat(points(s)).allSatisfy(p -> assertThat(p[1]).as("p99 ms").isBetween(40.0, 100.0)));
  }

  @Test
  void theWeightsAreWhatDescribeEndpointShowedFallingBackAfterTheAlarm() {
    String html = chart(BadModelReport.run().html(), "chart-weights-" + ENDPOINT);
    double alarm = 705.0;

    List<double[]> baseline = points(tags(html, "path", "data-series", "AllTraffic").get(0));

    assertThat(valueAt(baseline, alarm)).isEqualTo(90);
    assertThat(baseline.get(baseline.size() - 1)[1]).isEqualTo(100);
    assertThat(baseline.get(baseline.size() - 1)[0]).isGreaterThan(alarm);
    assertThat(tags(html, "rect", "data-state", "Updating")).isNotEmpty();
  }

  @Test
  void textThatLooksLikeMarkupIsShownNotRun() {
    ReportData r = new ReportData("a\"b<c>", "<script>alert(1)</script> & more", 60, 10, true,
        List.of(new ReportData.Run("x", "FAILED", "FAILED", 0, 60.0, "</td><script>bad()</script>", null)), List.of(),
        List.of(), List.of(), List.of(new ReportData.Marker(1, "fault", "fault", "<b>", "<img src=x onerror=y>")),
        List.of(new TimelineLine(1, "<i>line</i>")), 10);

    String html = HtmlReport.render(r);

    assertThat(html).doesNotContain("<script>alert").doesNotContain("<script>bad").doesNotContain("<img")
        .doesNotContain("<i>line").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
        .contains("data-scenario=\"a&quot;b&lt;c&gt;\"");
  }
}
