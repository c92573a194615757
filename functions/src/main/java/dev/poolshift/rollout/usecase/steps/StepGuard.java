package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.Promotion;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.usecase.support.TurnAround;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What forward steps check before they change anything: that the rollout still owns the
 * endpoint and nothing (an alarm, a rejection, an operator) asked it to turn around.
 */
final class StepGuard {
  private static final Logger LOG = LoggerFactory.getLogger(StepGuard.class);

  private final RolloutStore store;
  private final Endpoints endpoints;

  StepGuard(RolloutStore store, Endpoints endpoints) {
    this.store = store;
    this.endpoints = endpoints;
  }

  /** A forward step stops when an alarm or a rejection asked the rollout to turn around. */
  void requireNoStop(String ep, String owner) {
    requireNoStopOr(ep, owner, () -> { });
  }

  /** As {@link #requireNoStop}, running {@code beforeThrowing} first (unpark a token). */
  void requireNoStopOr(String ep, String owner, Runnable beforeThrowing) {
    ActiveRollout active = store.rollout(ep).orElse(null);
    if (active == null || !active.ownedBy(owner)) {
      beforeThrowing.run();
      throw new EndpointLockedException(ep, active == null ? null : active.executionName(),
          "endpoint " + ep + " has no active rollout of execution " + owner + " any more"
              + (active == null ? "" : " (it is " + active.executionName() + "'s)"));
    }
    if (active.stop() != null) {
      beforeThrowing.run();
      LOG.info("rollout asked to turn around; stopping the forward step",
          entry("stopError", active.stop().error()), entry("stopCause", active.stop().cause()));
      throw TurnAround.exception(active.stop());
    }
  }

  /** An operator's promotion request for the owner's rollout, if one is pending. */
  Optional<Promotion> promotionFor(String ep, String owner) {
    return store.promotion(ep).filter(p -> p.owner().equals(owner));
  }

  /** No automated write to an endpoint that is Failed or UpdateRollbackFailed. */
  static void requireWritable(EndpointState s, String ep) {
    if (EndpointState.NEEDS_A_PERSON.contains(s.status())) {
      throw new DeploymentFailedException("endpoint " + ep + " is " + s.status()
          + "; no automated writes (FailureReason: " + StepSupport.reason(s) + ")");
    }
  }

  /** DescribeEndpoint for a message; null (traffic unknown) when it cannot be read. */
  EndpointState describeForMessage(String ep) {
    try {
      return endpoints.describe(ep);
    } catch (RolloutException e) {
      LOG.warn("DescribeEndpoint failed; the message says traffic is unknown",
          entry("errorType", e.getClass().getName()));
      return null;
    }
  }
}
