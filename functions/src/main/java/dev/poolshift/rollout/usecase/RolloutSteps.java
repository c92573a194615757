package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.usecase.steps.Ports;
import dev.poolshift.rollout.usecase.steps.Settings;
import dev.poolshift.rollout.usecase.steps.Step;
import dev.poolshift.rollout.usecase.steps.StepInputs.Input;
import dev.poolshift.rollout.usecase.steps.WorkflowSteps;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout workflow's steps ({@code statemachine/rollout.asl.json}): routes each invocation,
 * by its payload's {@code step}, to the step that does it ({@link WorkflowSteps} lists them;
 * {@code docs/steps.md} says what each may change). Each step is safe to run again (a Lambda
 * retry after a lost response): writes are sets, creates recognise their own resources, and
 * SageMaker is read before it is changed. Time comes from the step's {@code now} only.
 */
public final class RolloutSteps {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutSteps.class);
  private final Map<String, Step<?>> steps = new LinkedHashMap<>();
  private final Ports ports;

  public RolloutSteps(Settings settings, Ports ports) {
    this.ports = ports;
    for (Step<?> s : WorkflowSteps.all(settings, ports)) {
      steps.put(s.name(), s);
    }
  }

  /** The step contract: every step by name, in the order of the workflow's sections. */
  public Map<String, Step<?>> contract() {
    return java.util.Collections.unmodifiableMap(steps);
  }

  /**
   * Runs one step.
   *
   * @param step the payload's {@code step}
   * @param read reads the payload as the step's input type
   * @return the step's result, serialised as the Lambda's payload
   * @throws dev.poolshift.rollout.RolloutException the typed errors the workflow matches by
   *     class name; {@link InvalidInputException} naming the field for an unknown step or a
   *     missing field
   */
  public Object run(String step, Function<Class<? extends Input>, ? extends Input> read) {
    Step<?> s = steps.get(step == null ? "" : step);
    if (s == null) {
      throw new InvalidInputException("rollout step", "step", "unknown step "
          + (step == null ? "(none)" : "\"" + step + "\""));
    }
    return s.run(read);
  }

  /**
   * A step's SageMaker calls were retried {@code retries} times: added to the rollout's count,
   * which its ledger record reports ({@code sageMakerRetries}). Nothing when the endpoint holds
   * no rollout of {@code executionName} (a refused start, a finished rollout).
   */
  public void sageMakerRetried(String endpointName, String executionName, int retries) {
    if (retries > 0 && endpointName != null && executionName != null) {
      try {
        ports.store().addSageMakerRetries(endpointName, executionName, retries);
      } catch (RolloutException e) {
        // A count for the record only: the step's own result (or typed error) is what the
        // workflow acts on, and must not be replaced by this one.
        LOG.warn("SageMaker retries not recorded", entry("retries", retries), entry("error", e.getMessage()));
      }
    }
  }
}
