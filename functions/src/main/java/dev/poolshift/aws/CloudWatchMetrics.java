package dev.poolshift.aws;

import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.port.Metrics;
import dev.poolshift.rollout.port.VariantMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.HashMap;
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
    return variant(endpointName, variantName, List.of(), start, end, withP99);
  }

  @Override
  public VariantMetrics variant(String endpointName, String variantName,
      List<String> instanceTypes, Instant start, Instant end, boolean withP99) {
    return read(variantDimensions(endpointName, variantName), endpointName + "/" + variantName,
        instanceTypes, start, end, withP99, false);
  }

  @Override
  public VariantMetrics component(String componentName, List<String> instanceTypes,
      Instant start, Instant end, boolean withP99) {
    return read(List.of(Dimension.builder().name("InferenceComponentName").value(componentName)
        .build()), componentName, instanceTypes, start, end, withP99, false);
  }

  private static List<Dimension> variantDimensions(String endpointName, String variantName) {
    return List.of(Dimension.builder().name("EndpointName").value(endpointName).build(),
        Dimension.builder().name("VariantName").value(variantName).build());
  }

  @Override
  public VariantMetrics asyncVariant(String endpointName, String variantName,
      List<String> instanceTypes, Instant start, Instant end) {
    return read(variantDimensions(endpointName, variantName), endpointName + "/" + variantName,
        instanceTypes, start, end, false, true);
  }

  private VariantMetrics read(List<Dimension> base, String what, List<String> instanceTypes, Instant start, Instant end, boolean withP99,
      boolean asynchronous) {
    long seconds = Duration.between(start, end).toSeconds();
    if (seconds < 60 || seconds % 60 != 0) {
      throw new IllegalArgumentException("metric window must be whole minutes (got " + start
          + " .. " + end + ")");
    }
    int period = (int) seconds;
    List<MetricDataQuery> queries = new ArrayList<>();
    // Query ids: "" for the variant, "_<n>" for the n-th instance type.
    List<String> suffixes = new ArrayList<>();
    suffixes.add("");
    for (int i = 0; i < instanceTypes.size(); i++) {
      suffixes.add("_" + i);
    }
    for (int i = 0; i < suffixes.size(); i++) {
      List<Dimension> dimensions = new ArrayList<>(base);
      if (i > 0) {
        dimensions.add(Dimension.builder().name("InstanceType").value(instanceTypes.get(i - 1))
            .build());
      }
      String n = suffixes.get(i);
      if (asynchronous) {
        // Finished requests are the processed plus the failed; both are added up below.
        queries.add(query("invocations" + n, "InvocationsProcessed", "Sum", dimensions, period));
        queries.add(query("failures" + n, "InvocationFailures", "Sum", dimensions, period));
      } else {
        queries.add(query("invocations" + n, "Invocations", "Sum", dimensions, period));
        queries.add(query("errors" + n, "Invocation5XXErrors", "Sum", dimensions, period));
      }
      if (withP99) {
        queries.add(query("latency" + n, "ModelLatency", "p99", dimensions, period));
      }
    }
    Map<String, double[]> sums = new HashMap<>();
    Map<String, Double> p99s = new HashMap<>();
    String next = null;
    do {
      String token = next;
      GetMetricDataResponse page;
      try {
        page = cloudWatch.getMetricData(b -> b.metricDataQueries(queries).startTime(start)
            .endTime(end).nextToken(token));
      } catch (SdkException e) {
        throw AwsErrors.translate("GetMetricData " + what, e);
      }
      for (MetricDataResult r : page.metricDataResults()) {
        String id = r.id();
        int cut = id.indexOf('_');
        String metric = cut < 0 ? id : id.substring(0, cut);
        String n = cut < 0 ? "" : id.substring(cut);
        double[] s = sums.computeIfAbsent(n, k -> new double[2]);
        double sum = r.values().stream().mapToDouble(Double::doubleValue).sum();
        switch (metric) {
          case "invocations" -> s[0] += sum;
          case "errors" -> s[1] += sum;
          case "failures" -> {
            s[0] += sum;
            s[1] += sum;
          }
          case "latency" -> {
            for (Double v : r.values()) {
              p99s.merge(n, v, Math::max);
            }
          }
          default -> { }
        }
      }
      next = page.nextToken();
    } while (next != null && !next.isEmpty());
    Map<String, VariantMetrics> byType = new LinkedHashMap<>();
    for (int i = 0; i < instanceTypes.size(); i++) {
      double[] s = sums.getOrDefault("_" + i, new double[2]);
      byType.put(instanceTypes.get(i), new VariantMetrics(Math.round(s[0]), Math.round(s[1]),
          p99s.get("_" + i)));
    }
    double[] all = sums.getOrDefault("", new double[2]);
    return new VariantMetrics(Math.round(all[0]), Math.round(all[1]), p99s.get(""), byType);
  }

  private static MetricDataQuery query(String id, String metric, String stat,
      List<Dimension> dimensions, int period) {
    return MetricDataQuery.builder().id(id).returnData(true)
        .metricStat(s -> s.metric(m -> m.namespace(AlarmSpec.NAMESPACE).metricName(metric)
            .dimensions(dimensions)).period(period).stat(stat))
        .build();
  }
}
