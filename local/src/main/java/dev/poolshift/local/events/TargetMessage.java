package dev.poolshift.local.events;

import java.time.Instant;

/** An event delivered to an SNS topic or SQS queue target (recorded; nothing consumes it locally). */
public record TargetMessage(String targetArn, String ruleName, String eventId, String body, Instant time) {}
