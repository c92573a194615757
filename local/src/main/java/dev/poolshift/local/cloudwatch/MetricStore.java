package dev.poolshift.local.cloudwatch;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every datapoint CloudWatch holds: what the traffic model publishes for SageMaker endpoints and
 * what PutMetricData sends. Each datapoint has a {@code visibleAt} instant: queries made before it
 * do not see it, which models the delay between the end of a period and its datapoint arriving.
 *
 * <p>Datapoints with the same timestamp accumulate (CloudWatch aggregates what is published for
 * one time stamp). Reads aggregate every visible datapoint whose timestamp falls in {@code [from,
 * to)}. Thread-safe.
 */
public final class MetricStore {
  /** The unit CloudWatch records when none was given. */
  public static final String NO_UNIT = "None";

  private record Entry(Instant visibleAt, String unit, Distribution distribution) {}

  private static final class Series {
    final NavigableMap<Instant, List<Entry>> points = new TreeMap<>();
    Instant latest;
  }

  private final Map<MetricKey, Series> series = new HashMap<>();

  /**
   * Stores one datapoint. Timestamps keep whole seconds for high-resolution data
   * ({@code storageResolutionSeconds == 1}) and whole minutes otherwise, as CloudWatch stores them.
   */
  public synchronized void put(MetricKey key, Instant timestamp, int storageResolutionSeconds, Instant visibleAt,
      String unit, Distribution distribution) {
    Instant stored = timestamp.truncatedTo(storageResolutionSeconds == 1 ? ChronoUnit.SECONDS : ChronoUnit.MINUTES);
    Series s = series.computeIfAbsent(key, k -> new Series());
    s.points.computeIfAbsent(stored, t -> new ArrayList<>(1))
        .add(new Entry(visibleAt, unit == null ? NO_UNIT : unit, distribution));
    if (s.latest == null || stored.isAfter(s.latest)) {
      s.latest = stored;
    }
  }

  /**
   * All datapoints of {@code key} with a timestamp in {@code [from, to)} that are visible at
   * {@code now}, merged; empty when there are none. {@code unit} null means every unit.
   */
  public synchronized Optional<Distribution> aggregate(MetricKey key, String unit, Instant from, Instant to, Instant now) {
    Series s = series.get(key);
    if (s == null) {
      return Optional.empty();
    }
    Distribution merged = null;
    for (List<Entry> entries : s.points.subMap(from, true, to, false).values()) {
      for (Entry e : entries) {
        if (e.visibleAt.isAfter(now) || (unit != null && !unit.equals(e.unit))) {
          continue;
        }
        merged = merged == null ? e.distribution : merged.merge(e.distribution);
      }
    }
    return Optional.ofNullable(merged);
  }

  /** The units {@code key}'s datapoints were published with, sorted. */
  public synchronized List<String> units(MetricKey key) {
    Series s = series.get(key);
    if (s == null) {
      return List.of();
    }
    java.util.TreeSet<String> units = new java.util.TreeSet<>();
    s.points.values().forEach(entries -> entries.forEach(e -> units.add(e.unit)));
    return List.copyOf(units);
  }

  /** Every metric that has data, sorted; with {@code activeSince} only those with data at or after it. */
  public synchronized List<MetricKey> metrics(Instant activeSince) {
    List<MetricKey> keys = new ArrayList<>();
    series.forEach((k, s) -> {
      if (activeSince == null || !s.latest.isBefore(activeSince)) {
        keys.add(k);
      }
    });
    keys.sort(null);
    return keys;
  }

  /** Number of stored datapoints (each publish of one series at one timestamp counts once). */
  public synchronized long datapointCount() {
    long n = 0;
    for (Series s : series.values()) {
      for (List<Entry> entries : s.points.values()) {
        n += entries.size();
      }
    }
    return n;
  }
}
