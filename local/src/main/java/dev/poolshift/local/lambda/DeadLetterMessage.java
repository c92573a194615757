package dev.poolshift.local.lambda;

import java.time.Instant;
import java.util.Map;

/**
 * A message Lambda sent to a function's {@code DeadLetterQueue} after giving up on an asynchronous
 * event: the event as body, and the attributes Lambda documents ({@code RequestID},
 * {@code ErrorCode}, {@code ErrorMessage}).
 *
 * @param type {@code SQS} or {@code SNS}
 */
public record DeadLetterMessage(String targetArn, String type, String functionName, String body,
    Map<String, String> attributes, Instant time) {
  public DeadLetterMessage {
    attributes = Map.copyOf(attributes);
  }
}
