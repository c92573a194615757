package dev.poolshift.local.template;

import java.util.List;
import java.util.Map;

/**
 * An EventBridge rule or schedule: an {@code AWS::Events::Rule}, or the rule SAM generates for an
 * {@code EventBridgeRule}/{@code CloudWatchEvent}/{@code Schedule} event, or the EventBridge
 * Scheduler schedule SAM generates for a {@code ScheduleV2} event.
 *
 * @param logicalId the rule's logical id (SAM: {@code <ResourceLogicalId><EventId>})
 * @param eventPattern the pattern as JSON text, or null for a scheduled rule
 * @param schedule the schedule, or null for a pattern rule
 * @param path where the rule is declared, for error messages
 */
public record RuleDef(
    String logicalId,
    String name,
    String arn,
    String eventBusName,
    String eventPattern,
    Schedule schedule,
    boolean enabled,
    List<Target> targets,
    String path) {

  public RuleDef {
    targets = List.copyOf(targets);
  }

  /**
   * When a scheduled rule fires. {@code kind} says who fires it: an EventBridge rule sends the
   * "Scheduled Event" envelope; EventBridge Scheduler sends the target's {@code Input} as is.
   *
   * @param timezone IANA zone for cron expressions (Scheduler only), null for UTC
   * @param flexibleWindowMinutes Scheduler's {@code FlexibleTimeWindow.MaximumWindowInMinutes}, 0 when OFF
   */
  public record Schedule(String expression, Kind kind, String timezone, int flexibleWindowMinutes) {
    public enum Kind { EVENTBRIDGE_RULE, SCHEDULER }
  }

  /**
   * One target of the rule.
   *
   * @param input constant JSON text sent instead of the event, or null
   * @param inputPath JSONPath of the part of the event to send, or null
   * @param inputTransformer the transformer, or null
   * @param retryPolicy the target's retry policy, or null for EventBridge's defaults
   * @param deadLetterArn the target's dead-letter queue ARN, or null
   */
  public record Target(String id, String arn, String input, String inputPath, InputTransformer inputTransformer,
      RetryPolicy retryPolicy, String deadLetterArn) {}

  /** {@code InputPathsMap} (variable to JSONPath) and {@code InputTemplate}. */
  public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {
    public InputTransformer {
      inputPathsMap = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputPathsMap));
    }
  }

  /** Null members take EventBridge's defaults (185 attempts, 86,400 s). */
  public record RetryPolicy(Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds) {}
}
