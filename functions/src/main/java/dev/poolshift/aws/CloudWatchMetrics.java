package dev.poolshift.aws;

import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.port.Metrics;
import dev.poolshift.rollout.port.VariantMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * {@link Metrics} on GetMetricData: the whole window as one period, so the sums are the
 * window's and the p99 is the window's percentile (percentiles of parts cannot be combined).
 */
public final class CloudWatchMetrics implements Metrics {
  private final CloudWatchClient cloudWatch;

  public CloudWatchMetrics(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @Override
  public VariantMetrics variant(String endpointName, String variantName, Instant start,
      Instant end, boolean withP99) {
    long seconds = Duration.between(start, end).toSeconds();
    if (seconds < 60 || seconds % 60 != 0) {
      throw new IllegalArgumentException("metric window must be whole minutes (got " + start
          + " .. " + end + ")");
    }
    int period = (int) seconds;
    List<Dimension> dimensions = List.of(
        Dimension.builder().name("EndpointName").value(endpointName).build(),
        Dimension.builder().name("VariantName").value(variantName).build());
    List<MetricDataQuery> queries = new ArrayList<>();
    queries.add(query("invocations", "Invocations", "Sum", dimensions, period));
    queries.add(query("errors", "Invocation5XXErrors", "Sum", dimensions, period));
    if (withP99) {
      queries.add(query("latency", "ModelLatency", "p99", dimensions, period));
    }
    double invocations = 0;
    double errors = 0;
    Double p99 = null;
    String next = null;
    do {
      String token = next;
      GetMetricDataResponse page;
      try {
        page = cloudWatch.getMetricData(b -> b.metricDataQueries(queries).startTime(start)
            .endTime(end).nextToken(token));
      } catch (SdkException e) {
        throw AwsErrors.translate("GetMetricData " + endpointName + "/" + variantName, e);
      }
      for (MetricDataResult r : page.metricDataResults()) {
        double sum = r.values().stream().mapToDouble(Double::doubleValue).sum();
        switch (r.id()) {
          case "invocations" -> invocations += sum;
          case "errors" -> errors += sum;
          case "latency" -> {
            for (Double v : r.values()) {
              p99 = p99 == null ? v : Math.max(p99, v);
            }
          }
          default -> { }
        }
      }
      next = page.nextToken();
    } while (next != null && !next.isEmpty());
    return new VariantMetrics(Math.round(invocations), Math.round(errors), p99);
  }

  private static MetricDataQuery query(String id, String metric, String stat,
      List<Dimension> dimensions, int period) {
    return MetricDataQuery.builder().id(id).returnData(true)
        .metricStat(s -> s.metric(m -> m.namespace(AlarmSpec.NAMESPACE).metricName(metric)
            .dimensions(dimensions)).period(period).stat(stat))
        .build();
  }
}
