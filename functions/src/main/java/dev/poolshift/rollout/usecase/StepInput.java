package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.shared.ExecutionRef;
import dev.poolshift.rollout.usecase.shared.Failure;
import dev.poolshift.rollout.usecase.shared.PlanDocument;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One invocation of the rollout-steps function, as the workflow sends it:
 * {@code {"step", "now", "plan", "execution", ...step fields}}. Fields a step does not use are
 * null. The accessors {@code require...} name the missing or malformed field.
 *
 * @param now the state's EnteredTime: the only clock a step reads
 * @param request the execution input ({@code plan} step)
 * @param taskToken callback steps' token; never logged ({@link TaskToken} redacts itself)
 */
public record StepInput(
    String step,
    String now,
    PlanDocument plan,
    ExecutionRef execution,
    Object request,
    Integer stepIndex,
    String phase,
    TaskToken taskToken,
    String bakeStartedAt,
    String endpointConfigName,
    String reason,
    Failure failure,
    String outcome,
    Map<String, Object> observation) {

  public Instant requireNow() {
    return instant("now", now);
  }

  public Instant requireBakeStartedAt() {
    return instant("bakeStartedAt", bakeStartedAt);
  }

  public PlanDocument requirePlan() {
    return require("plan", plan);
  }

  public ExecutionRef requireExecution() {
    ExecutionRef e = require("execution", execution);
    if (e.name() == null || e.name().isBlank()) {
      throw missing("execution.name");
    }
    return e;
  }

  public int requireStepIndex() {
    return require("stepIndex", stepIndex);
  }

  public TaskToken requireTaskToken() {
    return require("taskToken", taskToken);
  }

  public RolloutPhase requirePhase() {
    return RolloutPhase.fromWire("phase", phase);
  }

  public String requireEndpointConfigName() {
    return require("endpointConfigName", endpointConfigName);
  }

  public String requireOutcome() {
    return require("outcome", outcome);
  }

  private <T> T require(String field, T value) {
    if (value == null) {
      throw missing(field);
    }
    return value;
  }

  private InvalidInputException missing(String field) {
    return new InvalidInputException("rollout step " + step, field, "required");
  }

  private Instant instant(String field, String value) {
    require(field, value);
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("rollout step " + step, field,
          "must be an ISO-8601 instant like 2026-06-01T12:00:00Z (got " + value + ")");
    }
  }
}
