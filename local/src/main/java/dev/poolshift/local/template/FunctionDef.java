package dev.poolshift.local.template;

import java.util.Map;

/**
 * An {@code AWS::Serverless::Function} after Globals are merged and intrinsics resolved.
 *
 * @param name physical name: {@code FunctionName}, else {@code <stack>-<LogicalId>}
 * @param environment the template's {@code Environment.Variables} only; the reserved variables
 *     Lambda adds come from the Lambda runtime
 * @param reservedConcurrentExecutions null when the function uses unreserved concurrency
 * @param autoPublishAlias the alias SAM publishes, or null
 * @param snapStart whether {@code SnapStart.ApplyOn} is {@code PublishedVersions}
 * @param deadLetterQueue the function's {@code DeadLetterQueue}, or null
 * @param events every entry of {@code Events}, by event id (EventBridge ones also become {@link RuleDef}s)
 */
public record FunctionDef(
    String logicalId,
    String name,
    String arn,
    String handler,
    String runtime,
    String codeUri,
    int timeoutSeconds,
    int memorySizeMb,
    Map<String, String> environment,
    Integer reservedConcurrentExecutions,
    String autoPublishAlias,
    boolean snapStart,
    AsyncInvokeConfig asyncConfig,
    DeadLetterTarget deadLetterQueue,
    Map<String, EventSourceDef> events) {

  public FunctionDef {
    environment = Map.copyOf(environment);
    events = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(events));
  }

  /**
   * {@code EventInvokeConfig}: Lambda's handling of asynchronous invocations.
   *
   * @param onSuccess destination ARN for success records, or null
   * @param onFailure destination ARN for failure records, or null
   */
  public record AsyncInvokeConfig(int maximumRetryAttempts, int maximumEventAgeSeconds, String onSuccess, String onFailure) {
    /** Lambda's defaults: two retries, six hours. */
    public static final AsyncInvokeConfig DEFAULT = new AsyncInvokeConfig(2, 21600, null, null);
  }

  /** {@code DeadLetterQueue}: {@code Type} is {@code SQS} or {@code SNS}. */
  public record DeadLetterTarget(String type, String targetArn) {}
}
