package dev.poolshift.local.report;

import dev.poolshift.local.cloudwatch.CloudWatch;
import dev.poolshift.local.cloudwatch.MetricKey;
import dev.poolshift.local.cloudwatch.TrafficModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invocation metrics of one endpoint as CloudWatch answers GetMetricStatistics for them: the
 * 5xx rate (the Average of {@code Invocation5XXErrors}, which SageMaker publishes as 0 or 1 per
 * request) and the p99 of {@code ModelLatency}, per variant ({@code EndpointName, VariantName}) and
 * per instance type ({@code EndpointName, VariantName, InstanceType}). A period without
 * invocations has no datapoint, and the chart shows a gap there rather than a zero.
 */
final class MetricSeries {
  /** GetMetricStatistics returns at most this many datapoints per call. */
  static final int MAX_DATAPOINTS = 1440;

  private final CloudWatch cloudWatch;
  private final String endpoint;
  private final Instant t0;
  private final double end;
  private final int period;
  private final List<MetricKey> keys;

  MetricSeries(CloudWatch cloudWatch, String endpoint, Instant t0, double end, int period) {
    this.cloudWatch = cloudWatch;
    this.endpoint = endpoint;
    this.t0 = t0;
    this.end = end;
    this.period = period;
    this.keys = cloudWatch.metrics().metrics(null).stream()
        .filter(k -> k.namespace().equals(TrafficModel.NAMESPACE) && endpoint.equals(k.dimensionMap().get("EndpointName")))
        .toList();
  }

  /**
   * The query period: 10 s (the finest enhanced metrics publish; 60 s data then shows one point a
   * minute), longer only when the run is too long for one call's datapoint limit.
   */
  static int period(double endSeconds) {
    // A margin of two periods: the start is rounded down to a period boundary.
    if (endSeconds / 10 <= MAX_DATAPOINTS - 2) {
      return 10;
    }
    return 60 * (int) Math.ceil(endSeconds / 60 / (MAX_DATAPOINTS - 2));
  }

  /** The 5xx rate in percent, per variant or per variant and instance type. */
  List<ReportData.Series> errorRate(boolean perInstanceType) {
    return series("Invocation5XXErrors", perInstanceType, List.of("Average"), List.of(), 100);
  }

  /** The p99 model latency in milliseconds (SageMaker publishes microseconds). */
  List<ReportData.Series> p99(boolean perInstanceType) {
    return series("ModelLatency", perInstanceType, List.of(), List.of("p99"), 0.001);
  }

  private List<ReportData.Series> series(String metric, boolean perInstanceType, List<String> statistics,
      List<String> extended, double scale) {
    Set<String> wanted = perInstanceType ? Set.of("EndpointName", "VariantName", "InstanceType")
        : Set.of("EndpointName", "VariantName");
    List<ReportData.Series> out = new ArrayList<>();
    if (end <= 0) {
      return out;
    }
    Instant until = t0.plusMillis(Math.round(end * 1000));
    List<MetricKey> matching = keys.stream()
        .filter(k -> k.metricName().equals(metric) && k.dimensionMap().keySet().equals(wanted))
        .sorted(Comparator.comparing((MetricKey k) -> k.dimensionMap().get("VariantName"))
            .thenComparing(k -> String.valueOf(k.dimensionMap().get("InstanceType"))))
        .toList();
    for (MetricKey k : matching) {
      Map<String, String> d = k.dimensionMap();
      var result = cloudWatch.getMetricStatistics(k, t0, until, period, statistics, extended, null);
      List<ReportData.Point> points = new ArrayList<>();
      for (var p : result.datapoints()) {
        Double v = statistics.isEmpty() ? p.extendedStatistics().get(extended.get(0)) : p.statistics().get(statistics.get(0));
        if (v != null) {
          points.add(new ReportData.Point(ReportData.seconds(t0, p.timestamp()), v * scale));
        }
      }
      String variant = d.get("VariantName");
      String type = d.get("InstanceType");
      out.add(new ReportData.Series(type == null ? variant : variant + " · " + type, variant, type, points, false));
    }
    return out;
  }
}
