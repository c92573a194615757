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

  /**
   * An asynchronous endpoint's variant, which publishes no {@code Invocations}: the returned
   * {@code invocations} are the requests that finished ({@code InvocationsProcessed +
   * InvocationFailures}) and {@code errors5xx} the failed ones ({@code InvocationFailures}),
   * summed over [start, end), overall and per {@code InstanceType} of {@code instanceTypes}. No
   * latency: asynchronous {@code ModelLatency} has no percentiles.
   */
  VariantMetrics asyncVariant(String endpointName, String variantName,
      java.util.List<String> instanceTypes, Instant start, Instant end);

  /**
   * An inference component's {@code Invocations} and {@code Invocation5XXErrors} sums (and p99
   * {@code ModelLatency} when {@code withP99}) over [start, end), by {@code
   * InferenceComponentName}, overall and per {@code InstanceType} of {@code instanceTypes}.
   */
  VariantMetrics component(String componentName, java.util.List<String> instanceTypes,
      Instant start, Instant end, boolean withP99);
}
