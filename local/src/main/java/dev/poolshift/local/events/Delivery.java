package dev.poolshift.local.events;

import java.time.Instant;

/**
 * One step in delivering an event to one target of one rule.
 *
 * @param copy 1, or 2 for a duplicate injected by {@link EventFaults}
 * @param attempt 1 for the first try, then 2, 3, ... for retries
 * @param errorCode the DLQ error code ({@code THROTTLING}, {@code NO_RESOURCE}, ...) for failed attempts, else null
 * @param detail what the target returned (execution ARN, Lambda request id) or the error message
 */
public record Delivery(String eventId, String ruleName, String targetId, String targetArn, int copy, int attempt,
    Instant time, Outcome outcome, String errorCode, String detail) {

  public enum Outcome {
    /** The target accepted the event. */
    DELIVERED,
    /** The attempt failed with a retriable error; another attempt is scheduled. */
    RETRYING,
    /** Given up on; sent to the target's dead-letter queue. */
    DEAD_LETTERED,
    /** Given up on, and the target has no dead-letter queue: the event is lost. */
    DROPPED,
    /** The event matched the rule, but the rule is disabled: nothing is delivered. */
    RULE_DISABLED
  }
}
