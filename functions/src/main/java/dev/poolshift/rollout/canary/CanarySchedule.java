package dev.poolshift.rollout.canary;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.profile.DeploymentProfile;
import java.util.List;

/**
 * The canary plan as data walked with a cursor (the step index the workflow keeps in a
 * variable). Each step's weights are absolute values to <em>set</em>, never increments, so a
 * retried shift after a timeout lands on the same weights instead of skipping a step.
 */
public record CanarySchedule(List<Integer> steps) {
  public CanarySchedule {
    FieldErrors errors = new FieldErrors();
    DeploymentProfile.checkCanarySteps(errors, steps);
    errors.throwIfAny("canary schedule");
    steps = List.copyOf(steps);
  }

  public int size() {
    return steps.size();
  }

  public CanaryStep first() {
    return step(0);
  }

  public CanaryStep step(int index) {
    if (index < 0 || index >= steps.size()) {
      throw new InvalidInputException("canary schedule", "stepIndex",
          "must be 0–" + (steps.size() - 1) + " (got " + index + ")");
    }
    return new CanaryStep(index, steps.get(index), index == steps.size() - 1);
  }

  /** The step after {@code current}; the last step has none (it promotes). */
  public CanaryStep next(CanaryStep current) {
    if (current.last()) {
      throw new IllegalStateException("step " + current.index() + " is the last step; it promotes");
    }
    return step(current.index() + 1);
  }

  /**
   * The weights for a step when the baseline variant originally had {@code baselineWeight}:
   * the canary takes {@code percent}% of the baseline's share, other variants are untouched.
   */
  public static List<VariantWeight> weights(CanaryStep step, String baselineVariant,
      String canaryVariant, double baselineWeight) {
    double canary = baselineWeight * step.percent() / 100.0;
    double baseline = baselineWeight * (100 - step.percent()) / 100.0;
    return List.of(new VariantWeight(baselineVariant, baseline),
        new VariantWeight(canaryVariant, canary));
  }
}
