package dev.poolshift.rollout.port;

import java.time.Instant;

/**
 * The one-rollout-per-endpoint lock ({@code ENDPOINT#<ep>} / {@code LOCK}).
 *
 * @param owner the execution name holding it
 * @param executionArn for DescribeExecution (the reconciler's "is it still running?")
 */
public record EndpointLock(
    String endpointName,
    String owner,
    String executionArn,
    String modelPackageArn,
    Instant acquiredAt) {
}
