package dev.poolshift.rollout.port;

/**
 * A variant's invocation metrics over a window.
 *
 * @param p99LatencyMicros p99 {@code ModelLatency} in microseconds (CloudWatch's unit), null when
 *     there was no datapoint or it was not asked for
 * @param byType the same per {@code InstanceType} asked for (the 2026 dimension), empty when none
 *     was asked for
 */
public record VariantMetrics(long invocations, long errors5xx, Double p99LatencyMicros,
    java.util.Map<String, VariantMetrics> byType) {

  public VariantMetrics {
    byType = byType == null ? java.util.Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byType));
  }

  /** Without a per-instance-type breakdown. */
  public VariantMetrics(long invocations, long errors5xx, Double p99LatencyMicros) {
    this(invocations, errors5xx, p99LatencyMicros, java.util.Map.of());
  }
}
