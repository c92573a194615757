package dev.poolshift.local.cloudwatch;

/**
 * A metric with the statistic, period and (optional) unit to read it with, as in a {@code
 * MetricDataQuery}. Fields are unvalidated input; {@link CloudWatch} validates them.
 */
public record MetricStat(MetricKey metric, Integer period, String stat, String unit) {}
