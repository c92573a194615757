package dev.poolshift.local.events;

import java.time.Instant;
import java.util.Map;

/**
 * A message EventBridge put on a target's dead-letter queue: the event as body and the documented
 * attributes {@code RULE_ARN}, {@code TARGET_ARN}, {@code ERROR_CODE}, {@code ERROR_MESSAGE},
 * {@code EXHAUSTED_RETRY_CONDITION} (when retries ran out) and {@code RETRY_ATTEMPTS}.
 */
public record DeadLetterEntry(String queueArn, String body, Map<String, String> attributes, Instant time) {
  public DeadLetterEntry {
    attributes = Map.copyOf(attributes);
  }
}
