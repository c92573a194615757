package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;

import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.Failure;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.List;

/**
 * What the workflow sends each step ({@code Arguments.Payload} of its Task states, minus
 * {@code step}), one record per shape. Component names are the payload's keys: a test reads the
 * state machine and fails when it sends a key no input has, or leaves out one a step requires.
 * Every component is required unless marked {@link MayBeAbsent}; the dispatcher names the first
 * one missing.
 */
public final class StepInputs {
  private StepInputs() {}

  /** A component the workflow may leave out (or send as null). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface MayBeAbsent {
  }

  /** Every step's input: when its state was entered (the only clock a step reads) and where. */
  public interface Input {
    Instant now();

    ExecutionRef execution();

    /** The rollout's identity: the execution name, which owns the endpoint's lock. */
    default String owner() {
      return execution().name();
    }
  }

  /** Every step after the plan: the plan rides along ({@code $plan}). */
  public interface Planned extends Input {
    PlanDocument plan();

    default String endpointName() {
      return plan().endpointName();
    }
  }

  /** {@code plan}: the execution's input as it came ({@code $states.input}), parsed by the step. */
  public record PlanRequest(Instant now, ExecutionRef execution, Object request) implements Input {
  }

  /** Steps that need the plan only. */
  public record OnPlan(Instant now, PlanDocument plan, ExecutionRef execution) implements Planned {
  }

  /** {@code updateEndpoint}: the config to move the endpoint onto. */
  public record ToConfig(Instant now, PlanDocument plan, ExecutionRef execution,
      String endpointConfigName) implements Planned {
  }

  /**
   * {@code verifyCanaryFleet} and {@code verifyPromoted}: the read that ended the wait, judged
   * when still fresh instead of a second DescribeEndpoint.
   */
  public record Verifying(Instant now, PlanDocument plan, ExecutionRef execution,
      @MayBeAbsent Observation observation) implements Planned {
  }

  /**
   * {@code awaitEndpoint}: which wait (its bound), the token the endpoint event completes, and
   * when the move it waits for began (a settle note older than that is about an earlier move).
   */
  public record AwaitingEndpoint(Instant now, PlanDocument plan, ExecutionRef execution,
      RolloutPhase phase, TaskToken taskToken, @MayBeAbsent Instant movedAt) implements Planned {
  }

  /** {@code observeEndpoint}: the backstop's read, for the wait of {@code phase}. */
  public record Observing(Instant now, PlanDocument plan, ExecutionRef execution,
      RolloutPhase phase) implements Planned {
  }

  /** {@code shiftTraffic}: the canary step (0-based index into the plan's steps). */
  public record AtStep(Instant now, PlanDocument plan, ExecutionRef execution, Integer stepIndex,
      @MayBeAbsent Observation observation) implements Planned {
  }

  /** {@code startBake}: the step, when its bake began, and the token a canary alarm fails. */
  public record Baking(Instant now, PlanDocument plan, ExecutionRef execution, Integer stepIndex,
      Instant bakeStartedAt, TaskToken taskToken, @MayBeAbsent Observation observation)
      implements Planned {
  }

  /** {@code judgeCanary}: the step and when its bake began (the gate's metric window). */
  public record Judging(Instant now, PlanDocument plan, ExecutionRef execution, Integer stepIndex,
      Instant bakeStartedAt) implements Planned {
  }

  /**
   * {@code judgeComponents}: an inference-component rollout's updates ended; {@code since} is
   * when they were requested, the start of the window the gate reads.
   */
  public record JudgingComponents(Instant now, PlanDocument plan, ExecutionRef execution,
      Instant since) implements Planned {
  }

  /**
   * {@code judgePromoted}: when the promoted fleet's bake began (its switch) and the pools it
   * runs on, as the promotion's check read them.
   */
  public record JudgingPromoted(Instant now, PlanDocument plan, ExecutionRef execution,
      Instant bakeStartedAt, List<PoolCount> poolMix) implements Planned {
  }

  /** {@code bakePromoted}: the token one of the promoted fleet's alarms fails. */
  public record BakingPromoted(Instant now, PlanDocument plan, ExecutionRef execution,
      TaskToken taskToken) implements Planned {
  }

  /** {@code holdForOperator}: the held step, why the gate could not decide, the token. */
  public record Holding(Instant now, PlanDocument plan, ExecutionRef execution, Integer stepIndex,
      @MayBeAbsent String reason, TaskToken taskToken) implements Planned {
  }

  /** {@code awaitEndpointLock} and {@code awaitOutcome}: the token the endpoint's release completes. */
  public record Parking(Instant now, PlanDocument plan, ExecutionRef execution,
      TaskToken taskToken) implements Planned {
  }

  /** {@code restoreBaselineTraffic} and {@code abandon}: why the rollout turned around. */
  public record TurningBack(Instant now, PlanDocument plan, ExecutionRef execution,
      @MayBeAbsent Failure failure) implements Planned {
  }

  /**
   * {@code refused}: a start that never held the endpoint. {@code request} is the execution's
   * input; {@code plan} the last plan made, when one was; {@code outcome} REJECTED or FAILED.
   */
  public record Refusing(Instant now, ExecutionRef execution, Object request,
      @MayBeAbsent PlanDocument plan, Outcome outcome, @MayBeAbsent Failure failure)
      implements Input {
  }

  /** {@code record}: the outcome, why, and the last wait's DescribeEndpoint. */
  public record Recording(Instant now, PlanDocument plan, ExecutionRef execution, Outcome outcome,
      @MayBeAbsent Failure failure, @MayBeAbsent Observation observation) implements Planned {
  }

  /** {@code notify}: the outcome and why. */
  public record Notifying(Instant now, PlanDocument plan, ExecutionRef execution, Outcome outcome,
      @MayBeAbsent Failure failure, @MayBeAbsent Observation observation) implements Planned {
  }

  /** {@code escalate}: why the way back failed, and in which phase. */
  public record Escalating(Instant now, PlanDocument plan, ExecutionRef execution,
      @MayBeAbsent Failure failure, @MayBeAbsent RolloutPhase phase) implements Planned {
  }
}
