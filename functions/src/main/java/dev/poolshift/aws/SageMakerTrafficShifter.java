package dev.poolshift.aws;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.port.TrafficShifter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;

/** {@link TrafficShifter} on UpdateEndpointWeightsAndCapacities. */
public final class SageMakerTrafficShifter implements TrafficShifter {
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerTrafficShifter.class);
  private final SageMakerClient sageMaker;

  public SageMakerTrafficShifter(SageMakerClient sageMaker) {
    this.sageMaker = sageMaker;
  }

  /**
   * A retry after a lost response finds the weights already desired and does not send them
   * again: a second call would meet "Cannot update in-progress endpoint" while the first one's
   * update runs. The caller's DescribeEndpoint says so; this reads nothing itself.
   */
  @Override
  public void setWeights(EndpointState now, List<VariantWeight> weights) {
    String endpointName = now.endpointName();
    if (alreadyDesired(now, weights)) {
      LOG.info("weights already desired; UpdateEndpointWeightsAndCapacities skipped",
          entry("endpointName", endpointName), entry("weights", weights),
          entry("endpointStatus", now.status()));
      return;
    }
    try {
      sageMaker.updateEndpointWeightsAndCapacities(b -> b
          .endpointName(endpointName)
          .desiredWeightsAndCapacities(weights.stream()
              .map(w -> DesiredWeightAndCapacity.builder()
                  .variantName(w.variantName())
                  .desiredWeight((float) w.weight())
                  .build())
              .toList()));
    } catch (SdkException e) {
      throw SageMakerErrors.translate("UpdateEndpointWeightsAndCapacities " + endpointName, e,
          EndpointNotFoundException::new);
    }
  }

  private static boolean alreadyDesired(EndpointState now, List<VariantWeight> weights) {
    if (!now.inService() && !"Updating".equals(now.status())) {
      return false;
    }
    for (VariantWeight w : weights) {
      VariantState v = now.variant(w.variantName());
      if (v == null || v.desiredWeight() == null
          || Math.abs(v.desiredWeight() - w.weight()) > EndpointState.WEIGHT_TOLERANCE) {
        return false;
      }
    }
    return true;
  }
}
