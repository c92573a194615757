package dev.poolshift.local.sagemaker;

import java.time.Instant;

/**
 * Throttles a share of calls with {@code ThrottlingException}: {@code operation} null means every
 * operation; {@code rate} in [0, 1]; active in the virtual window [{@code from}, {@code until})
 * (nulls = unbounded). Draws come from the world's seeded random source, so a run is repeatable.
 */
public record ThrottleRule(String operation, double rate, Instant from, Instant until) {
  public ThrottleRule {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("throttle rate must be within [0, 1], got " + rate);
    }
    if (from != null && until != null && until.isBefore(from)) {
      throw new IllegalArgumentException("throttle window ends before it starts: " + from + " .. " + until);
    }
  }

  /** {@code rate} of the calls to {@code operation} (null = all), at all times. */
  public static ThrottleRule of(String operation, double rate) {
    return new ThrottleRule(operation, rate, null, null);
  }

  public ThrottleRule between(Instant from, Instant until) {
    return new ThrottleRule(operation, rate, from, until);
  }

  boolean applies(String op, Instant now) {
    return (operation == null || operation.equals(op))
        && (from == null || !now.isBefore(from))
        && (until == null || now.isBefore(until));
  }
}
