package dev.poolshift.rollout.profile;

/**
 * Limits a canary step must stay within. {@code max5xxRate} is a fraction (0.001 = 0.1% of
 * invocations); {@code p99LatencyMs} is optional (null = no latency gate).
 */
public record Thresholds(double max5xxRate, Integer p99LatencyMs) {
  public static final double DEFAULT_MAX_5XX_RATE = 0.001;

  public static Thresholds defaults() {
    return new Thresholds(DEFAULT_MAX_5XX_RATE, null);
  }
}
