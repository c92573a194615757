package dev.poolshift.local.cloudwatch;

import java.time.Instant;
import java.util.List;

/**
 * One item of PutMetricData's {@code MetricData}, member for member (unvalidated input): exactly
 * one of {@code value}, {@code statisticValues} or {@code values} (with optional {@code counts}).
 */
public record MetricDatum(String metricName, List<MetricKey.Dimension> dimensions, Instant timestamp, Double value,
    StatisticSet statisticValues, List<Double> values, List<Double> counts, String unit, Integer storageResolution) {

  /** PutMetricData's {@code StatisticValues}. */
  public record StatisticSet(Double sampleCount, Double sum, Double minimum, Double maximum) {}

  public MetricDatum {
    dimensions = dimensions == null ? List.of() : List.copyOf(dimensions);
    values = values == null ? List.of() : List.copyOf(values);
    counts = counts == null ? List.of() : List.copyOf(counts);
  }
}
