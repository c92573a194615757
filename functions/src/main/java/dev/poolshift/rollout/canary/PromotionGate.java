package dev.poolshift.rollout.canary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The gate on the promoted fleet, after SageMaker's post-promotion bake. The promotion is a second
 * blue/green deployment and may land on pools the canary never ran on (capacity came back, or a
 * pool the canary did not need): a type the new version was never judged on is judged here, on
 * its own traffic, before the rollout may be PROMOTED. No data is never success.
 */
public final class PromotionGate {
  private PromotionGate() {}

  /**
   * @param policy the canary's policy (alarms to read: the promoted fleet's and the profile's;
   *     thresholds; the per-type minimum; how long to wait for data)
   * @param bakeEnd when SageMaker's bake of the promoted fleet ended (the update completed)
   * @param promoted the promoted fleet's instances by type, now
   * @param judged the types the canary was judged on
   * @param readings alarm states and the promoted variant's metrics per type since the switch
   */
  public static GateOutcome evaluate(GatePolicy policy, Instant bakeEnd, Instant now,
      Map<String, Integer> promoted, Set<String> judged, GateReadings readings) {
    return evaluate(policy, bakeEnd, now, promoted, judged, readings, "5xx rate", false);
  }

  /**
   * As above, naming the error rate {@code rateName} in its reasons. With {@code wholeFleet}
   * (no canary judged the version: an asynchronous endpoint switched blue/green without a
   * weighted canary), the promoted fleet as a whole is judged like a canary step: it must have
   * served the step's minimum of requests, and its rate over them must be within the threshold.
   */
  public static GateOutcome evaluate(GatePolicy policy, Instant bakeEnd, Instant now,
      Map<String, Integer> promoted, Set<String> judged, GateReadings readings,
      String rateName, boolean wholeFleet) {
    List<String> missing = new ArrayList<>();
    for (String alarm : policy.alarmNames()) {
      AlarmState state = readings.alarms().get(alarm);
      if (state == AlarmState.ALARM) {
        return new GateOutcome.Decision(Verdict.ROLL_BACK, "promoted fleet: alarm " + alarm
            + " is in ALARM");
      }
      if (state == null) {
        missing.add(alarm);
      }
    }
    if (!missing.isEmpty()) {
      return new GateOutcome.Decision(Verdict.INCONCLUSIVE, "promoted fleet: alarms not found: "
          + missing);
    }
    Map<String, Integer> serving = new TreeMap<>();
    promoted.forEach((type, count) -> {
      if (count != null && count > 0) {
        serving.put(type, count);
      }
    });
    for (Map.Entry<String, Integer> e : serving.entrySet()) {
      GateReadings.TypeReading r = readings.byType().get(e.getKey());
      if (r == null || r.invocations() == 0) {
        continue;
      }
      double rate = (double) r.errors5xx() / r.invocations();
      if (rate > policy.max5xxRate()) {
        return new GateOutcome.Decision(Verdict.ROLL_BACK, String.format(Locale.ROOT,
            "promoted fleet on %s: %s %.5f (%d of %d) above threshold %.5f", e.getKey(),
            rateName, rate, r.errors5xx(), r.invocations(), policy.max5xxRate()));
      }
      if (policy.p99LatencyMs() != null && r.p99LatencyMs() != null
          && r.p99LatencyMs() > policy.p99LatencyMs()) {
        return new GateOutcome.Decision(Verdict.ROLL_BACK, String.format(Locale.ROOT,
            "promoted fleet on %s: p99 latency %.1f ms above SLA %d ms", e.getKey(),
            r.p99LatencyMs(), policy.p99LatencyMs()));
      }
    }
    List<String> unjudged = serving.keySet().stream().filter(t -> !judged.contains(t)).toList();
    List<String> lacking = new ArrayList<>();
    if (wholeFleet && readings.invocations() < policy.minInvocations()) {
      lacking.add("the promoted fleet served " + readings.invocations() + " < minimum "
          + policy.minInvocations() + " requests");
    } else if (wholeFleet) {
      double rate = (double) readings.errors5xx() / readings.invocations();
      if (rate > policy.max5xxRate()) {
        return new GateOutcome.Decision(Verdict.ROLL_BACK, String.format(Locale.ROOT,
            "promoted fleet: %s %.5f (%d of %d) above threshold %.5f", rateName, rate,
            readings.errors5xx(), readings.invocations(), policy.max5xxRate()));
      }
    }
    for (String type : unjudged) {
      GateReadings.TypeReading r = readings.byType().get(type);
      long n = r == null ? 0 : r.invocations();
      if (n < policy.minInvocationsPerType()) {
        lacking.add(type + " served " + n + " < " + policy.minInvocationsPerType()
            + " invocations");
      }
      if (policy.p99LatencyMs() != null && (r == null || r.p99LatencyMs() == null)) {
        lacking.add(type + " has no p99 latency datapoint");
      }
    }
    if (!lacking.isEmpty()) {
      Instant bound = bakeEnd.plus(policy.maxWaitForInvocations());
      String what = (wholeFleet ? "no canary judged this version before the switch"
          : "promoted fleet runs on " + unjudged + ", which the canary was never judged"
          + " on (it ran on " + judged + ")") + ": " + String.join("; ", lacking);
      if (now.isBefore(bound)) {
        Instant again = now.plus(policy.recheckInterval());
        return new GateOutcome.KeepBaking(again.isBefore(bound) ? again : bound,
            "waiting for data until " + bound + ": " + what);
      }
      return new GateOutcome.Decision(Verdict.INCONCLUSIVE, "not enough data by " + bound + ": "
          + what);
    }
    return new GateOutcome.Decision(Verdict.PROMOTE, "promoted fleet healthy on " + serving
        + (unjudged.isEmpty() ? "" : "; judged on its own traffic: " + unjudged)
        + (wholeFleet ? String.format(Locale.ROOT, "; %s %.5f over %d requests", rateName,
            (double) readings.errors5xx() / readings.invocations(), readings.invocations()) : "")
        + "; alarms OK");
  }

  /** How long after {@code now} the next look is, for a keep-baking outcome. */
  public static long secondsUntil(Instant now, Instant until) {
    return Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
  }
}
