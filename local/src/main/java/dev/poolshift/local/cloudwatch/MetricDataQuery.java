package dev.poolshift.local.cloudwatch;

/**
 * One item of PutMetricAlarm's {@code Metrics} or GetMetricData's {@code MetricDataQueries}: either
 * a {@link MetricStat} or a metric math {@code expression}. {@code returnData} null means the
 * documented default (true). Unvalidated input.
 */
public record MetricDataQuery(String id, MetricStat metricStat, String expression, String label, Boolean returnData,
    Integer period) {

  /** A metric input that is not returned (the usual shape inside a metric math alarm). */
  public static MetricDataQuery metric(String id, MetricKey metric, int period, String stat) {
    return new MetricDataQuery(id, new MetricStat(metric, period, stat, null), null, null, false, null);
  }

  /** An expression whose result is returned. */
  public static MetricDataQuery expression(String id, String expression, String label) {
    return new MetricDataQuery(id, null, expression, label, true, null);
  }

  boolean returnsData() {
    return returnData == null || returnData;
  }
}
