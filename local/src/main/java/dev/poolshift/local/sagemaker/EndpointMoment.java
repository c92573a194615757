package dev.poolshift.local.sagemaker;

import java.time.Instant;
import java.util.Map;

/**
 * What DescribeEndpoint showed of one endpoint from {@code at} until the next moment: its status,
 * active config, current variant weights, and the share of production traffic each model version
 * received ({@link EndpointView#trafficShareByModelPackage()}). Kept by {@link SageMakerWorld} so a
 * report can say when traffic left a version and when it was back ("baseline restored at").
 */
public record EndpointMoment(Instant at, String status, String configName, Map<String, Double> currentWeights,
    Map<String, Double> trafficShare) {

  public EndpointMoment {
    currentWeights = Map.copyOf(currentWeights);
    trafficShare = Map.copyOf(trafficShare);
  }

  static EndpointMoment of(EndpointView view, Instant at) {
    return new EndpointMoment(at, view.status(), view.configName(), view.currentWeights(),
        view.trafficShareByModelPackage());
  }

  /** The model versions receiving any traffic. */
  public java.util.Set<String> servingVersions() {
    return trafficShare.keySet();
  }

  boolean sameAs(EndpointMoment other) {
    return status.equals(other.status) && java.util.Objects.equals(configName, other.configName)
        && currentWeights.equals(other.currentWeights) && servingVersions().equals(other.servingVersions());
  }
}
