package dev.poolshift.rollout.observe;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.RolloutEnd;
import dev.poolshift.rollout.port.StopRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads a rollout's measures from its history: no clock, no calls. */
public final class RolloutMeasures {
  private RolloutMeasures() {}

  /**
   * The end of a rollout as its metrics report it.
   *
   * @param startedAt the execution's start
   * @param now the end (the recording step's time)
   * @param rollbackFailed the way back could not be verified, or a return to the previous
   *     release failed
   */
  public static RolloutEnd end(String endpointName, String executionName, Outcome outcome,
      List<HistoryEntry> history, Instant startedAt, Instant now, boolean rollbackFailed) {
    long duration = Math.max(0, Duration.between(startedAt, now).toSeconds());
    Double alarmToBaseline = outcome == Outcome.ROLLED_BACK
        ? firstAlarm(history).map(at -> seconds(at, now)).orElse(null) : null;
    Double firstErrorToBaseline = outcome == Outcome.ROLLED_BACK
        ? firstError(history).map(at -> seconds(at, now)).orElse(null) : null;
    return new RolloutEnd(endpointName, executionName, outcome, duration, alarmToBaseline,
        firstErrorToBaseline, secondsOnInstanceType(history, now), rollbackFailed);
  }

  /** The earliest moment a canary alarm's errors can have begun, as its event said. */
  public static Optional<Instant> firstError(List<HistoryEntry> history) {
    return history.stream().filter(HistoryEntry.AlarmFired.class::isInstance)
        .map(h -> ((HistoryEntry.AlarmFired) h).firstEvaluatedAt()).filter(Objects::nonNull)
        .min(Instant::compareTo);
  }

  /** When the first canary alarm of the history went to ALARM. */
  public static Optional<Instant> firstAlarm(List<HistoryEntry> history) {
    return history.stream().filter(HistoryEntry.AlarmFired.class::isInstance)
        .map(HistoryEntry::at).min(Instant::compareTo);
  }

  /**
   * When a canary alarm turned the rollout around: its history's first alarm, or the stop the
   * alarm function requested. The stop is recorded before the workflow's wait is failed, the
   * history entry only after, so a rollback step may run before the entry is there.
   */
  public static Optional<Instant> alarmAt(List<HistoryEntry> history, StopRequest stop) {
    Optional<Instant> fromStop = stop != null && stop.at() != null
        && CanaryAlarmException.class.getName().equals(stop.error())
        ? Optional.of(stop.at()) : Optional.empty();
    return Stream.concat(firstAlarm(history).stream(), fromStop.stream()).min(Instant::compareTo);
  }

  /**
   * Seconds on each instance type: each fleet check (canary fleet, promoted fleet) names the
   * types its fleet runs on; a type counts from that check to the next one, or to {@code now}.
   */
  public static Map<String, Long> secondsOnInstanceType(List<HistoryEntry> history,
      Instant now) {
    record Check(Instant at, Set<String> types) {}
    List<Check> checks = history.stream().<Check>mapMulti((h, out) -> {
      if (h instanceof HistoryEntry.FleetChecked f && f.poolMix() != null) {
        out.accept(new Check(f.at(), running(f.poolMix())));
      } else if (h instanceof HistoryEntry.PromotedFleet p && p.poolMix() != null) {
        out.accept(new Check(p.at(), running(p.poolMix())));
      }
    }).sorted((a, b) -> a.at().compareTo(b.at())).toList();
    Map<String, Long> seconds = new TreeMap<>();
    for (int i = 0; i < checks.size(); i++) {
      Instant until = i + 1 < checks.size() ? checks.get(i + 1).at() : now;
      long s = Math.max(0, Duration.between(checks.get(i).at(), until).toSeconds());
      for (String type : checks.get(i).types()) {
        seconds.merge(type, s, Long::sum);
      }
    }
    return seconds;
  }

  private static Set<String> running(Map<String, Integer> poolMix) {
    Set<String> types = new LinkedHashSet<>();
    poolMix.forEach((type, count) -> {
      if (count != null && count > 0) {
        types.add(type);
      }
    });
    return types;
  }

  /**
   * Every instance type a rollout's fleets may run on: what the endpoint runs now and every
   * type (or pool) of the given configs.
   */
  public static List<String> instanceTypes(EndpointState now, List<EndpointConfigSpec> configs) {
    Set<String> types = new java.util.TreeSet<>();
    if (now != null) {
      for (VariantState v : now.productionVariants()) {
        for (PoolCount p : v.instancePools()) {
          types.add(p.instanceType());
        }
      }
    }
    for (EndpointConfigSpec c : configs) {
      if (c == null) {
        continue;
      }
      for (VariantSpec v : c.productionVariants()) {
        if (v.instanceType() != null) {
          types.add(v.instanceType());
        }
        for (InstancePool p : v.instancePools()) {
          types.add(p.instanceType());
        }
      }
    }
    return List.copyOf(types);
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
  }
}
