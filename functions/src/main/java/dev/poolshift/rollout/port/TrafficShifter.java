package dev.poolshift.rollout.port;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.VariantWeight;
import java.util.List;

/** Moves traffic between an endpoint's variants without a new config. */
public interface TrafficShifter {
  /**
   * Sets (not increments) the weights of the named variants; others keep theirs. The endpoint
   * goes Updating → InService; callers verify with {@link Endpoints#describe}.
   *
   * @param current DescribeEndpoint as the caller just read it (every caller reads it to decide
   *     whether to shift at all): weights already desired there are not sent again, so a retry
   *     after a lost response does not meet "Cannot update in-progress endpoint"
   * @throws dev.poolshift.rollout.EndpointBusyException when the endpoint is mid-update
   */
  void setWeights(EndpointState current, List<VariantWeight> weights);
}
