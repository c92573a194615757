package dev.poolshift.local.cloudwatch;

import java.time.Instant;
import java.util.List;

/** One returned series of GetMetricData. {@code statusCode} is {@code Complete} or {@code PartialData}. */
public record MetricDataResult(String id, String label, List<Instant> timestamps, List<Double> values,
    String statusCode) {}
