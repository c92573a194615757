package dev.poolshift.rollout.port;

import dev.poolshift.rollout.TaskToken;
import java.time.Instant;

/**
 * An execution parked until another one lets go of an endpoint
 * ({@code ENDPOINT#<ep>} / {@code WAITER#<owner>}): a second rollout queued for the lock, or an
 * operator's promote or abort watching the rollout it acted on. Whoever releases the endpoint
 * completes every waiter's token; the waiter then looks again for itself. The token is a secret,
 * stored here and nowhere else.
 *
 * @param owner the waiting execution's name
 * @param purpose {@link #FOR_LOCK} or {@link #FOR_OUTCOME}
 * @param waitingFor the execution holding the endpoint when the waiter parked (for messages)
 * @param expiresAt DynamoDB TTL: garbage collection only, long after the wait's own bound
 */
public record Waiter(
    String endpointName,
    String owner,
    String purpose,
    String waitingFor,
    TaskToken token,
    Instant registeredAt,
    Instant expiresAt) {

  /** A rollout waiting to take the endpoint's lock (concurrency policy queue or supersede). */
  public static final String FOR_LOCK = "lock";
  /** An operator action waiting for the rollout it acted on to end. */
  public static final String FOR_OUTCOME = "outcome";
}
