package dev.poolshift.rollout.event;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.JsonFields;

/**
 * "Step Functions Execution Status Change" (best-effort, possibly out of order: the reconciler
 * asks DescribeExecution before acting on it).
 */
public record ExecutionStatusChange(EventEnvelope envelope, String executionArn, String name,
    String status) {
  public static final String DETAIL_TYPE = "Step Functions Execution Status Change";

  public static ExecutionStatusChange parse(EventEnvelope envelope) {
    envelope.requireType(DETAIL_TYPE);
    FieldErrors errors = new FieldErrors();
    JsonFields d = envelope.detailFields(errors);
    String arn = d.string("executionArn", true);
    String name = d.string("name", true);
    String status = d.string("status", true);
    errors.throwIfAny("execution event " + envelope.id());
    return new ExecutionStatusChange(envelope, arn, name, status);
  }
}
