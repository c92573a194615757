package dev.poolshift.rollout.port;

import java.time.Instant;

/** CloudWatch metrics of an endpoint variant ({@code AWS/SageMaker}, EndpointName + VariantName). */
public interface Metrics {
  /**
   * Sums of {@code Invocations} and {@code Invocation5XXErrors} over [start, end), and the p99
   * {@code ModelLatency} over the same window when {@code withP99}. The window must be whole
   * minutes: it is read as one period.
   */
  VariantMetrics variant(String endpointName, String variantName, Instant start, Instant end,
      boolean withP99);

  /**
   * As {@link #variant}, with the same read per {@code InstanceType} for each of
   * {@code instanceTypes}, in one request.
   */
  VariantMetrics variant(String endpointName, String variantName, java.util.List<String> instanceTypes,
      Instant start, Instant end, boolean withP99);
}
