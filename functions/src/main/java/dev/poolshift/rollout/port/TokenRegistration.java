package dev.poolshift.rollout.port;

import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import java.time.Instant;

/**
 * A parked task token ({@code ENDPOINT#<ep>} / {@code WAIT|BAKE|HOLD}). The token is a secret:
 * it is stored here and nowhere else, and {@link TaskToken#toString()} never shows it.
 *
 * @param owner the execution that parked it
 * @param phase for WAIT: what the wait is for (a rollback-phase wait is never failed by an alarm)
 * @param stepIndex for BAKE and HOLD: the canary step
 * @param reason for HOLD: why the step is inconclusive
 * @param expiresAt DynamoDB TTL: only garbage collection, long after the wait's own bound
 */
public record TokenRegistration(
    String endpointName,
    TokenKind kind,
    String owner,
    TaskToken token,
    RolloutPhase phase,
    Integer stepIndex,
    Instant registeredAt,
    String reason,
    Instant expiresAt) {
}
