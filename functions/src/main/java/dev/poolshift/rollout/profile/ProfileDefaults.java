package dev.poolshift.rollout.profile;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.InvalidInputException;

/**
 * Values a profile gets for fields it leaves out, where the stack may choose them (template
 * parameters {@code DefaultBakeSeconds}, {@code Default5xxRateThreshold}). A profile that sets
 * the field always wins.
 */
public record ProfileDefaults(int bakeSeconds, double max5xxRate) {
  public static final ProfileDefaults STANDARD = new ProfileDefaults(
      DeploymentProfile.DEFAULT_BAKE_SECONDS, Thresholds.DEFAULT_MAX_5XX_RATE);

  public ProfileDefaults {
    FieldErrors errors = new FieldErrors();
    DeploymentProfile.checkRange(errors, "DEFAULT_BAKE_SECONDS", bakeSeconds, 60, 86_400);
    if (!(max5xxRate >= 0 && max5xxRate <= 1)) {
      errors.add("DEFAULT_5XX_RATE_THRESHOLD", "must be a fraction 0–1 (got " + max5xxRate + ")");
    }
    errors.throwIfAny("stack defaults");
  }

  /**
   * From the function's environment; an unset variable keeps the standard value.
   *
   * @throws InvalidInputException naming the variable when one is not a number
   */
  public static ProfileDefaults fromEnvironment(java.util.Map<String, String> env) {
    String bake = env.get("DEFAULT_BAKE_SECONDS");
    String rate = env.get("DEFAULT_5XX_RATE_THRESHOLD");
    try {
      return new ProfileDefaults(
          bake == null || bake.isBlank() ? STANDARD.bakeSeconds() : (int) Double.parseDouble(bake),
          rate == null || rate.isBlank() ? STANDARD.max5xxRate() : Double.parseDouble(rate));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("stack defaults", "DEFAULT_BAKE_SECONDS/DEFAULT_5XX_RATE_THRESHOLD",
          "must be numbers (got " + bake + ", " + rate + ")");
    }
  }
}
