package dev.poolshift.rollout.usecase.steps;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.usecase.steps.StepInputs.Input;
import dev.poolshift.rollout.usecase.steps.StepInputs.MayBeAbsent;
import dev.poolshift.rollout.usecase.steps.StepInputs.Planned;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * One step of the rollout workflow, as the state machine calls it: {@code name} (the payload's
 * {@code step}), the input record it is read into, the result it returns, and for a
 * {@code .waitForTaskToken} state the output its wait is completed with (what the state's
 * {@code $states.result} holds), or null.
 */
public record Step<I extends Input>(String name, Class<I> input, Class<?> result,
    Class<?> waitOutput, Function<I, ?> body) {

  /** A step the workflow calls with {@code lambda:invoke}. */
  static <I extends Input> Step<I> of(String name, Class<I> input, Class<?> result,
      Function<I, ?> body) {
    return new Step<>(name, input, result, null, body);
  }

  /** A step the workflow calls with {@code lambda:invoke.waitForTaskToken}. */
  static <I extends Input> Step<I> waiting(String name, Class<I> input, Class<?> waitOutput,
      Function<I, ?> body) {
    return new Step<>(name, input, StepResults.Done.class, waitOutput, body);
  }

  /**
   * Reads the input with {@code read}, checks every required component is there (naming the
   * first missing one), and runs the step.
   */
  public Object run(Function<Class<? extends Input>, ? extends Input> read) {
    I in = input.cast(read.apply(input));
    requirePresent(in);
    MDC.put("step", name);
    MDC.put("executionName", in.owner());
    if (in instanceof Planned p) {
      MDC.put("endpointName", p.plan().endpointName());
      MDC.put("modelPackageArn", p.plan().modelPackageArn());
    }
    return body.apply(in);
  }

  private void requirePresent(I in) {
    for (RecordComponent c : input.getRecordComponents()) {
      if (c.isAnnotationPresent(MayBeAbsent.class)) {
        continue;
      }
      Object value;
      try {
        value = c.getAccessor().invoke(in);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + c.getName() + " of " + input, e);
      }
      if (value == null) {
        throw missing(c.getName());
      }
    }
    if (in.execution().name() == null || in.execution().name().isBlank()) {
      throw missing("execution.name");
    }
  }

  private InvalidInputException missing(String field) {
    return new InvalidInputException("rollout step " + name, field, "required");
  }
}
