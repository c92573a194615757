package dev.poolshift.rollout.port;

import dev.poolshift.rollout.port.ScalingTargets.ScalingSetup;
import java.time.Instant;

/**
 * The one-rollout-per-endpoint lock ({@code ENDPOINT#<ep>} / {@code LOCK}).
 *
 * @param owner the execution name holding it
 * @param executionArn for DescribeExecution (the reconciler's "is it still running?")
 * @param scaling the baseline variant's auto scaling as it was before the rollout took it out
 *     of auto scaling, kept until it is put back; null when there was none to take out
 */
public record EndpointLock(
    String endpointName,
    String owner,
    String executionArn,
    String modelPackageArn,
    Instant acquiredAt,
    ScalingTargets.ScalingSetup scaling) {

  /** A lock without an auto scaling setup kept on it. */
  public EndpointLock(String endpointName, String owner, String executionArn,
      String modelPackageArn, Instant acquiredAt) {
    this(endpointName, owner, executionArn, modelPackageArn, acquiredAt, null);
  }
}
