package dev.poolshift.rollout.usecase.support;

import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.port.HistoryEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A rollback whose traffic is back but whose fleet is not: the endpoint still runs the canary
 * config with all weight on the baseline variant (its copy on the ranked pools), because
 * SageMaker could not provision the baseline config again. Blue/green re-provisions every
 * variant, so in a shortage of the baseline's own type the way back is exactly what fails.
 *
 * <p>Traffic is safe (one model version serves it all), so the workflow ends and the reconciler
 * retries the fleet. Each retry is a full blue/green attempt that holds capacity while it lasts;
 * retries back off (5, 10, 20, 40 minutes, then hourly) instead of following every endpoint
 * state change, which would retry the moment each attempt failed: a loop at the pace of
 * SageMaker's provisioning failures.
 */
public final class CleanupPending {
  static final Duration FIRST_RETRY = Duration.ofMinutes(5);
  static final Duration LONGEST_RETRY = Duration.ofHours(1);

  private CleanupPending() {
  }

  /**
   * True when the endpoint is settled on the canary config serving exactly the baseline weights
   * and is not on its baseline config.
   */
  public static boolean held(EndpointState s, String canaryConfigName, String baselineConfigName,
      List<VariantWeight> baselineWeights) {
    return s != null && canaryConfigName != null
        && !canaryConfigName.equals(baselineConfigName)
        && s.servesFrom(canaryConfigName, baselineWeights);
  }

  /** What an operator reads: where traffic is, why the fleet is not back, what remains. */
  public static String reason(EndpointState s, String baselineVariantName,
      String canaryVariantName, String canaryConfigName, String baselineConfigName) {
    String why = s.failureReason() == null || s.failureReason().isBlank()
        ? "(no FailureReason given)" : s.failureReason().replaceAll("\\.+$", "");
    return "all traffic is on the baseline variant " + baselineVariantName + " in endpoint config "
        + canaryConfigName + "; the endpoint could not return to its baseline config "
        + baselineConfigName + ": " + why + ". Left to clean up: the canary variant "
        + canaryVariantName + " (weight 0) and config " + canaryConfigName
        + "; the reconciler returns the endpoint to " + baselineConfigName
        + " when capacity allows, and releases it";
  }

  /** How many attempts to return the fleet the history records. */
  public static int attempts(List<HistoryEntry> history) {
    return (int) history.stream().filter(HistoryEntry.CleanupPending.class::isInstance).count();
  }

  /**
   * When the reconciler may next try to return the fleet: the last attempt plus a back-off that
   * doubles from 5 minutes up to an hour. Null when no attempt is recorded (try now).
   */
  public static Instant nextAttempt(List<HistoryEntry> history) {
    Instant last = null;
    for (HistoryEntry e : history) {
      if (e instanceof HistoryEntry.CleanupPending c && (last == null || c.at().isAfter(last))) {
        last = c.at();
      }
    }
    if (last == null) {
      return null;
    }
    return last.plus(backoff(attempts(history)));
  }

  /** 5 min after the first attempt, then 10, 20, 40, and 60 from the fifth on. */
  static Duration backoff(int attempts) {
    Duration d = FIRST_RETRY;
    for (int i = 1; i < attempts && d.compareTo(LONGEST_RETRY) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : d;
  }
}
