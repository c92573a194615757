package dev.poolshift.local.report;

import static dev.poolshift.local.report.Svg.esc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.scenario.TimelineLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rehearsal as one self-contained HTML page: a header (outcome, endpoint, durations, T_act),
 * then charts on one shared virtual-time axis — events, traffic weights with the endpoint's status,
 * instances per variant and instance type, alarm states, 5xx rate and p99 latency per variant and
 * per instance type — and the text timeline.
 *
 * <p>The charts are SVG written here rather than drawn by a JavaScript chart library: the page
 * stays readable with scripts off, needs no third-party code inlined into it (a few KB of CSS and
 * script of our own instead of a library's hundreds), and its data sits in the DOM where a test can
 * read it. The script only adds a crosshair and a readout of the values under the pointer.
 */
public final class HtmlReport {
  private static final String CSS = resource("report.css");
  private static final String JS = resource("report.js");

  private HtmlReport() {}

  public static String render(ReportData r) {
    Svg svg = new Svg(r.endSeconds());
    Charts charts = new Charts(svg, r.markers());
    // Colours in the order variants first appear, so the baseline is the first colour everywhere.
    r.endpoints().forEach(e -> e.weights().forEach(s -> charts.colour(s.variant())));
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>ReportData ").append(esc(r.scenario())).append(" — Poolshift</title><style>").append(CSS)
        .append("</style></head>\n<body data-scenario=\"").append(esc(r.scenario())).append("\" data-end-seconds=\"")
        .append(Svg.value(r.endSeconds())).append("\">\n");
    header(b, r);
    b.append("<main>\n");
    section(b, "events", "Events", "Hover a marker for what happened. Guide lines carry the instants into every chart below.",
        Charts.markerLegend(), charts.events(r.markers()));
    for (ReportData.EndpointCharts e : r.endpoints()) {
      String id = slug(e.name());
      section(b, "weights-" + id, "Traffic weights — " + e.name(),
          "Each variant's CurrentWeight as DescribeEndpoint showed it, as a share of the endpoint's total weight; "
              + "under it, the endpoint's status (hover for the config and the traffic split by model version).",
          charts.legend(e.weights(), e.priorities(), e.models()),
          charts.lines("chart-weights-" + id, "Traffic weights of " + e.name(), e.weights(), List.of(),
              Charts.YAxis.percent100(), e.priorities(), e.status(), "endpoint status"));
      int maxHeld = e.held().stream().flatMap(s -> s.points().stream()).mapToInt(p -> (int) p.v()).max().orElse(1);
      section(b, "instances-" + id, "Instances — " + e.name(),
          "Thin line: instances in service in the endpoint's live fleet, per variant and instance type. Wide pale "
              + "line: instances holding capacity (launching, in service or terminating; a blue/green update holds two "
              + "fleets).",
          charts.legend(e.serving(), e.priorities(), e.models()),
          charts.lines("chart-instances-" + id, "Instances of " + e.name(), e.serving(), e.held(),
              Charts.YAxis.nice(maxHeld, "", true), e.priorities(), null, null));
    }
    section(b, "alarms", "Alarms", "One band per alarm from its creation to its deletion: green OK, red ALARM, grey "
        + "INSUFFICIENT_DATA. Hover a band for CloudWatch's reason.", "", charts.alarms(r.alarms()));
    for (ReportData.EndpointCharts e : r.endpoints()) {
      String id = slug(e.name());
      metric(b, charts, e, "errors-variant-" + id, "5xx rate by variant — " + e.name(), e.errorsByVariant(), "%");
      metric(b, charts, e, "errors-type-" + id, "5xx rate by instance type — " + e.name(), e.errorsByInstanceType(), "%");
      metric(b, charts, e, "p99-variant-" + id, "p99 model latency by variant — " + e.name(), e.p99ByVariant(), "ms");
      metric(b, charts, e, "p99-type-" + id, "p99 model latency by instance type — " + e.name(), e.p99ByInstanceType(), "ms");
    }
    timeline(b, r);
    b.append("</main>\n<div id=\"readout\" hidden></div>\n<script>").append(JS).append("</script>\n</body></html>\n");
    return b.toString();
  }

  private static void metric(StringBuilder b, Charts charts, ReportData.EndpointCharts e, String id, String title,
      List<ReportData.Series> series, String unit) {
    double max = series.stream().flatMap(s -> s.points().stream()).mapToDouble(ReportData.Point::v)
        .filter(v -> !Double.isNaN(v)).max().orElse(1);
    section(b, id, title, "From the CloudWatch datapoints the simulated traffic produced; a gap is a period "
            + "without invocations.", charts.legend(series, e.priorities(), e.models()),
        charts.lines("chart-" + id, title, series, List.of(), Charts.YAxis.nice(max, unit, false), e.priorities(), null, null));
  }

  private static void section(StringBuilder b, String id, String title, String help, String legend, String chart) {
    b.append("<section class=\"chart\" id=\"").append(esc(id)).append("\"><h2>").append(esc(title)).append("</h2><p class=\"help\">")
        .append(esc(help)).append("</p>").append(legend).append(chart).append("</section>\n");
  }

  private static void header(StringBuilder b, ReportData r) {
    b.append("<header><h1>ReportData <code>").append(esc(r.scenario())).append("</code></h1>");
    if (r.description() != null) {
      b.append("<p class=\"description\">").append(esc(r.description())).append("</p>");
    }
    b.append("<table class=\"runs\"><thead><tr><th>Execution</th><th>Outcome</th><th>Endpoint</th><th>Started</th>")
        .append("<th>Ended</th><th>Took</th><th>Cause</th></tr></thead><tbody>");
    for (ReportData.Run x : r.executions()) {
      b.append("<tr class=\"run\" data-outcome=\"").append(esc(x.outcome())).append("\"><td><code>").append(esc(x.name()))
          .append("</code></td><td><span class=\"badge outcome-").append(esc(x.outcome())).append("\">").append(esc(x.outcome()))
          .append("</span></td><td>").append(esc(x.endpoint() == null ? "—" : x.endpoint())).append("</td><td>")
          .append(TimelineLine.clock(x.startedAt())).append("</td><td>")
          .append(x.endedAt() == null ? "running" : TimelineLine.clock(x.endedAt())).append("</td><td>")
          .append(x.endedAt() == null ? "—" : duration(x.endedAt() - x.startedAt())).append("</td><td class=\"cause\">")
          .append(esc(x.cause() == null ? "" : x.cause())).append("</td></tr>");
    }
    if (r.executions().isEmpty()) {
      b.append("<tr><td colspan=\"7\">no execution ran</td></tr>");
    }
    b.append("</tbody></table>");
    for (ReportData.RollbackFacts f : r.rollbacks()) {
      b.append("<p class=\"rollback\" data-execution=\"").append(esc(f.execution())).append("\"");
      if (f.tActSeconds() != null) {
        b.append(" data-t-act=\"").append(Svg.value(f.tActSeconds())).append('"');
      }
      b.append("><strong>Rollback of <code>").append(esc(f.execution())).append("</code> on ").append(esc(f.endpoint()))
          .append(":</strong> ");
      List<String> facts = new ArrayList<>();
      if (f.firstErrorAt() != null) {
        facts.add("first 5xx " + TimelineLine.clock(f.firstErrorAt()));
      }
      if (f.alarmAt() != null) {
        facts.add("alarm <code>" + esc(f.alarmName()) + "</code> in ALARM " + TimelineLine.clock(f.alarmAt()));
      }
      if (f.restoreCallAt() != null) {
        facts.add("weights back to the baseline accepted " + TimelineLine.clock(f.restoreCallAt())
            + (f.tActSeconds() != null ? String.format(Locale.ROOT, " — <strong>T_act %.3f s</strong> after the alarm", f.tActSeconds()) : ""));
      }
      if (f.baselineRestoredAt() != null) {
        facts.add("DescribeEndpoint shows all traffic on the baseline from " + TimelineLine.clock(f.baselineRestoredAt())
            + (f.firstErrorToBaselineSeconds() != null
                ? String.format(Locale.ROOT, " (%.1f s after the first 5xx)", f.firstErrorToBaselineSeconds()) : ""));
      } else {
        facts.add("the version that served when it started is <strong>not</strong> serving all traffic at the end");
      }
      b.append(String.join("; ", facts)).append(".</p>");
    }
    b.append("<dl class=\"facts\">");
    for (ReportData.EndpointCharts e : r.endpoints()) {
      b.append("<dt>Endpoint <code>").append(esc(e.name())).append("</code> at the end</dt><dd>").append(endpointState(e.finalState()))
          .append("</dd>");
    }
    b.append("<dt>Virtual time</dt><dd>").append(duration(r.endSeconds())).append(" (").append(Svg.value(r.endSeconds()))
        .append(" s), simulated in ").append(String.format(Locale.ROOT, "%.1f", r.wallMillis() / 1000.0))
        .append(" s of wall time").append(r.finished() ? "" : " — <strong>stopped at the scenario's limit</strong> before everything ended")
        .append("</dd><dt>Metrics</dt><dd>GetMetricStatistics at ").append(r.metricPeriodSeconds())
        .append("-second periods</dd></dl></header>\n");
  }

  private static String endpointState(JsonNode ep) {
    StringBuilder b = new StringBuilder(esc(ep.path("status").asText())).append(" on <code>")
        .append(esc(ep.path("endpointConfigName").asText())).append("</code>");
    for (JsonNode v : ep.path("variants")) {
      b.append("; <code>").append(esc(v.path("variantName").asText())).append("</code> weight ")
          .append(esc(v.path("currentWeight").asText())).append(", ")
          .append(esc(v.path("modelPackageArn").isNull() ? "no single model" : ReportData.shortVersion(v.path("modelPackageArn").asText())));
      for (JsonNode p : v.path("instancePools")) {
        b.append(", ").append(esc(p.path("instanceType").asText())).append(" ×").append(p.path("currentInstanceCount").asInt());
      }
    }
    return b.toString();
  }

  private static void timeline(StringBuilder b, ReportData r) {
    b.append("<section class=\"text\" id=\"timeline\"><details><summary>Timeline (").append(r.timeline().size())
        .append(" lines, as <code>./poolshift run</code> printed them)</summary><pre>");
    for (TimelineLine l : r.timeline()) {
      b.append(esc(l.formatted())).append('\n');
    }
    b.append("</pre></details><details><summary>How to read this page</summary><ul>")
        .append("<li>Every chart shares one axis: virtual time since the scenario's start, <code>+H:MM:SS</code> as in the ")
        .append("timeline. Move the pointer over a chart to read every series at that instant.</li>")
        .append("<li>Weights are what SageMaker reported (DescribeEndpoint's CurrentWeight), not what was asked: a weight ")
        .append("change shows when SageMaker finished applying it, after the call's marker.</li>")
        .append("<li>In a rollback, look for the red ALARM guide line, the red triangle of the weights call just after it ")
        .append("(T_act is the gap), then the baseline's weight line climbing back to 100 %.</li>")
        .append("<li>Colours follow the variant; dashes the instance type's pool rank (solid: first choice).</li>")
        .append("</ul></details></section>\n");
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + ((s / 60) % 60) + " min";
  }

  private static String slug(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to " + HtmlReport.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
