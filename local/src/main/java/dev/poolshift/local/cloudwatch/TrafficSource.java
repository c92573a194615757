package dev.poolshift.local.cloudwatch;

import java.util.List;
import java.util.Set;

/**
 * What serves traffic right now, as the traffic model sees it. The SageMaker simulator implements
 * this; the model reads it at every publish boundary and whenever {@link
 * TrafficModel#servingChanged} is called.
 */
public interface TrafficSource {
  /** Endpoints that may serve traffic now (InService, or Updating while the old fleet serves). */
  Set<String> endpoints();

  /** Whether {@link #endpoints()} lists {@code endpointName}; a source answers it without listing all. */
  default boolean lists(String endpointName) {
    return endpoints().contains(endpointName);
  }

  /**
   * Who serves the endpoint's traffic: one slice per (variant, instance type, endpoint config,
   * model) group of instances. Empty when the endpoint does not serve (not InService-ish).
   */
  List<ServingSlice> serving(String endpointName);

  /**
   * How often the endpoint publishes invocation metrics, in seconds: 60, or the endpoint config's
   * {@code MetricsConfig.MetricPublishFrequencyInSeconds} when {@code EnableEnhancedMetrics} is on.
   */
  int metricPublishSeconds(String endpointName);

  /**
   * Whether the endpoint is asynchronous (its config has {@code AsyncInferenceConfig}): it then
   * publishes the asynchronous metric set instead of {@code Invocations}.
   */
  default boolean asynchronous(String endpointName) {
    return false;
  }

  /** A source with nothing to serve. */
  TrafficSource NONE = new TrafficSource() {
    @Override
    public Set<String> endpoints() {
      return Set.of();
    }

    @Override
    public List<ServingSlice> serving(String endpointName) {
      return List.of();
    }

    @Override
    public int metricPublishSeconds(String endpointName) {
      return 60;
    }
  };
}
