package dev.poolshift.rollout.port;

/**
 * A variant's invocation metrics over a window.
 *
 * @param p99LatencyMicros p99 {@code ModelLatency} in microseconds (CloudWatch's unit), null when
 *     there was no datapoint or it was not asked for
 */
public record VariantMetrics(long invocations, long errors5xx, Double p99LatencyMicros) {
}
