package dev.poolshift.rollout.canary;

import dev.poolshift.rollout.profile.Thresholds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a canary step from alarm states, invocation counts and latency. In order:
 * <ol>
 *   <li>any gate alarm in ALARM → ROLL_BACK, at once (no need to finish the bake);
 *   <li>a gate alarm that does not exist → INCONCLUSIVE: the gate cannot be evaluated;
 *   <li>bake not over → keep baking;
 *   <li>too few invocations, an alarm in INSUFFICIENT_DATA, or no latency datapoint while a
 *       latency SLA is set → keep waiting until bake + max wait, then INCONCLUSIVE (fail
 *       closed: no data is never success);
 *   <li>5xx rate above the threshold, or p99 above the SLA → ROLL_BACK;
 *   <li>otherwise CONTINUE, or PROMOTE on the last step.
 * </ol>
 * Thresholds are applied only once the minimum invocations are in: a rate over a handful of
 * requests is noise; the alarms guard the meantime.
 */
public final class CanaryGate {
  private CanaryGate() {}

  public static GateOutcome evaluate(GatePolicy policy, CanaryStep step, Instant bakeStartedAt,
      Instant now, GateReadings readings) {
    List<String> missing = new ArrayList<>();
    List<String> noData = new ArrayList<>();
    for (String alarm : policy.alarmNames()) {
      AlarmState state = readings.alarms().get(alarm);
      if (state == AlarmState.ALARM) {
        return decide(Verdict.ROLL_BACK, step, "alarm " + alarm + " is in ALARM");
      }
      if (state == null) {
        missing.add(alarm);
      } else if (state == AlarmState.INSUFFICIENT_DATA) {
        noData.add(alarm);
      }
    }
    if (!missing.isEmpty()) {
      return decide(Verdict.INCONCLUSIVE, step, "gate alarms not found: " + missing);
    }
    Instant bakeEnd = bakeStartedAt.plus(policy.bake());
    if (now.isBefore(bakeEnd)) {
      return new GateOutcome.KeepBaking(bakeEnd, "step " + step.index() + " at " + step.percent()
          + "% bakes until " + bakeEnd);
    }

    List<String> lacking = new ArrayList<>();
    if (readings.invocations() < policy.minInvocations()) {
      lacking.add("invocations " + readings.invocations() + " < minimum "
          + policy.minInvocations());
    }
    if (!noData.isEmpty()) {
      lacking.add("alarms in INSUFFICIENT_DATA: " + noData);
    }
    if (policy.p99LatencyMs() != null && readings.p99LatencyMs() == null) {
      lacking.add("no p99 latency datapoint");
    }
    // Each instance type the canary served on is judged on its own: a fallback pool is
    // different hardware, and an aggregate can hide it. One that served only a handful of
    // requests cannot be judged yet.
    readings.byType().forEach((type, r) -> {
      if (r.invocations() > 0 && r.invocations() < policy.minInvocationsPerType()) {
        lacking.add(type + " served " + r.invocations() + " < " + policy.minInvocationsPerType()
            + " invocations to judge it on its own");
      }
    });
    if (!lacking.isEmpty()) {
      Instant bound = bakeEnd.plus(policy.maxWaitForInvocations());
      String what = String.join("; ", lacking);
      if (now.isBefore(bound)) {
        Instant again = now.plus(policy.recheckInterval());
        return new GateOutcome.KeepBaking(again.isBefore(bound) ? again : bound,
            "waiting for data until " + bound + ": " + what);
      }
      return decide(Verdict.INCONCLUSIVE, step, "not enough data by " + bound + ": " + what);
    }

    double rate = (double) readings.errors5xx() / readings.invocations();
    if (rate > policy.max5xxRate()) {
      return decide(Verdict.ROLL_BACK, step, String.format(Locale.ROOT,
          "5xx rate %.5f (%d of %d) above threshold %.5f", rate, readings.errors5xx(),
          readings.invocations(), policy.max5xxRate()));
    }
    if (policy.p99LatencyMs() != null && readings.p99LatencyMs() > policy.p99LatencyMs()) {
      return decide(Verdict.ROLL_BACK, step, String.format(Locale.ROOT,
          "p99 latency %.1f ms above SLA %d ms", readings.p99LatencyMs(), policy.p99LatencyMs()));
    }
    Optional<GateOutcome.Decision> byType = judgeTypes(policy, readings, step);
    if (byType.isPresent()) {
      return byType.get();
    }
    return decide(step.passVerdict(), step, String.format(Locale.ROOT,
        "alarms OK, %d invocations, 5xx rate %.5f <= %.5f%s", readings.invocations(), rate,
        policy.max5xxRate(), policy.p99LatencyMs() == null ? ""
            : String.format(Locale.ROOT, ", p99 %.1f ms <= %d ms", readings.p99LatencyMs(),
                policy.p99LatencyMs())));
  }

  private static GateOutcome.Decision decide(Verdict verdict, CanaryStep step, String why) {
    return new GateOutcome.Decision(verdict, "step " + step.index() + " at " + step.percent()
        + "%: " + why);
  }

  /**
   * The per-instance-type verdict: a type whose own 5xx rate is above the threshold rolls back;
   * one whose own p99 breaks the SLA rolls back or holds, as the profile says.
   */
  static Optional<GateOutcome.Decision> judgeTypes(GatePolicy policy, GateReadings readings,
      CanaryStep step) {
    for (Map.Entry<String, GateReadings.TypeReading> e : readings.byType().entrySet()) {
      GateReadings.TypeReading r = e.getValue();
      if (r.invocations() == 0) {
        continue;
      }
      double rate = (double) r.errors5xx() / r.invocations();
      if (rate > policy.max5xxRate()) {
        return Optional.of(decide(Verdict.ROLL_BACK, step, String.format(Locale.ROOT,
            "5xx rate on %s %.5f (%d of %d) above threshold %.5f", e.getKey(), rate,
            r.errors5xx(), r.invocations(), policy.max5xxRate())));
      }
      if (policy.p99LatencyMs() != null && r.p99LatencyMs() != null
          && r.p99LatencyMs() > policy.p99LatencyMs()) {
        return Optional.of(decide(policy.onTypeRegression(), step, String.format(Locale.ROOT,
            "p99 latency on %s %.1f ms above SLA %d ms%s", e.getKey(), r.p99LatencyMs(),
            policy.p99LatencyMs(), policy.onTypeRegression() == Verdict.INCONCLUSIVE
                ? " (fallbackPolicy pause: a person decides)" : "")));
      }
    }
    return Optional.empty();
  }
}
