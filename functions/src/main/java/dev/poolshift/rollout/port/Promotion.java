package dev.poolshift.rollout.port;

import java.time.Instant;

/**
 * An operator's request that a running rollout skip the rest of its bake and promote
 * ({@code ENDPOINT#<ep>} / {@code PROMOTE}). The rollout's own steps read it at their next gate:
 * a bake or hold that is parked is completed by the promote action, one that starts later
 * completes itself. An alarm in ALARM still rolls back: a person can skip waiting, not evidence.
 *
 * @param owner the rollout's execution, which the request is for
 * @param requestedBy the promote action's execution
 */
public record Promotion(
    String endpointName,
    String owner,
    String requestedBy,
    String by,
    String reason,
    Instant at) {
}
