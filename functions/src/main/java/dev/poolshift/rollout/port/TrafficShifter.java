package dev.poolshift.rollout.port;

import dev.poolshift.rollout.endpoint.VariantWeight;
import java.util.List;

/** Moves traffic between an endpoint's variants without a new config. */
public interface TrafficShifter {
  /**
   * Sets (not increments) the weights of the named variants; others keep theirs. The endpoint
   * goes Updating → InService; callers verify with {@link Endpoints#describe}.
   *
   * @throws dev.poolshift.rollout.EndpointBusyException when the endpoint is mid-update
   */
  void setWeights(String endpointName, List<VariantWeight> weights);
}
