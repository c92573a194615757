package dev.poolshift.rollout.usecase.steps;

import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.support.ScalingHold;
import java.time.Instant;

/** UpdateEndpoint onto a config the rollout created, as the canary and the promotion both do it. */
final class EndpointMoves {
  private final Endpoints endpoints;
  private final RolloutStore store;
  private final ScalingHold scalingHold;

  EndpointMoves(Endpoints endpoints, RolloutStore store, ScalingHold scalingHold) {
    this.endpoints = endpoints;
    this.store = store;
    this.scalingHold = scalingHold;
  }

  /**
   * Takes the baseline variant out of auto scaling before an UpdateEndpoint (SageMaker refuses
   * to change a registered variant's instance type); the setup is put back when the lock is
   * released. The baseline keeps the instance count it had meanwhile.
   */
  void suspendScaling(PlanDocument plan, String owner, Instant now) {
    scalingHold.suspend(plan.endpointName(), owner, plan.baseline().variantName(), now)
        .ifPresent(entry -> store.appendHistory(plan.endpointName(), owner, entry));
  }

  /**
   * A move that found nothing to change sends no call, so no endpoint event will end the wait
   * that follows: note the endpoint settled for that wait to look for itself.
   */
  void noteSettled(String endpointName, Instant now) {
    store.markSettled(endpointName, now);
  }

  /** UpdateEndpoint to a config this rollout just created. */
  void apply(EndpointUpdate update) {
    apply(update, null);
  }

  /** As {@link #apply(EndpointUpdate)}, judged against a DescribeEndpoint the step just made. */
  void apply(EndpointUpdate update, EndpointState current) {
    try {
      if (current == null) {
        endpoints.update(update);
      } else {
        endpoints.update(update, current);
      }
    } catch (EndpointConfigNotFoundException e) {
      // The config was created by an earlier step; "not found" now is SageMaker's eventual
      // consistency right after CreateEndpointConfig, and goes away on a retry.
      throw new TransientServiceException("endpoint config " + update.endpointConfigName()
          + " is not visible yet right after its creation: " + e.getMessage(), e);
    }
  }
}
