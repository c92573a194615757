package dev.poolshift.local.cloudwatch;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every datapoint CloudWatch holds: what the traffic model publishes for SageMaker endpoints and
 * what PutMetricData sends. Each datapoint has a {@code visibleAt} instant: queries made before it
 * do not see it, which models the delay between the end of a period and its datapoint arriving.
 *
 * <p>Datapoints with the same timestamp accumulate (CloudWatch aggregates what is published for
 * one time stamp). Reads aggregate every visible datapoint whose timestamp falls in {@code [from,
 * to)}. Thread-safe: reads share a lock, writes take it alone.
 *
 * <p><b>Storage.</b> A fleet rehearsal publishes millions of datapoints (a few thousand per
 * endpoint and hour at 10-second periods), so each series keeps its datapoints in parallel
 * primitive arrays, sorted by timestamp (datapoints of one timestamp in the order they came), and
 * the values behind a datapoint in the smallest form that gives back exactly the same {@link
 * Distribution}: nothing beyond the statistic set when one or two distinct values determine it
 * (a count, an error flag), latency buckets as varint-coded gaps and counts. Reads rebuild the
 * distributions and merge them in the same order as they were stored, so every statistic is the
 * one the datapoints as published would give.
 */
public final class MetricStore {
  /** The unit CloudWatch records when none was given. */
  public static final String NO_UNIT = "None";

  /** How the values behind one datapoint are kept. */
  private static final byte NO_VALUES = 0;
  /** One distinct value: the minimum, {@code sampleCount} times. */
  private static final byte ONE_VALUE = 1;
  /** Two distinct values, minimum and maximum, whose counts the sum determines exactly. */
  private static final byte TWO_VALUES = 2;
  /** Latency buckets: a {@code byte[]} of varint (bucket gap, count) pairs. */
  private static final byte BUCKETS = 3;
  /** Anything else: the {@link Distribution} itself. */
  private static final byte AS_IS = 4;

  private static final class Series {
    int size;
    long[] seconds = new long[4];
    /** visibleAt as nanoseconds since the epoch. */
    long[] visibleNanos = new long[4];
    byte[] unit = new byte[4];
    byte[] shape = new byte[4];
    double[] sampleCount = new double[4];
    double[] sum = new double[4];
    double[] minimum = new double[4];
    double[] maximum = new double[4];
    /** The bucket bytes or the distribution kept as is; null for the other shapes. */
    Object[] payload = new Object[4];
    long latest = Long.MIN_VALUE;
    /** The last bucket bytes stored: the traffic model publishes equal histograms for several dimension sets. */
    byte[] lastBuckets;

    void grow() {
      int n = seconds.length * 2;
      seconds = Arrays.copyOf(seconds, n);
      visibleNanos = Arrays.copyOf(visibleNanos, n);
      unit = Arrays.copyOf(unit, n);
      shape = Arrays.copyOf(shape, n);
      sampleCount = Arrays.copyOf(sampleCount, n);
      sum = Arrays.copyOf(sum, n);
      minimum = Arrays.copyOf(minimum, n);
      maximum = Arrays.copyOf(maximum, n);
      payload = Arrays.copyOf(payload, n);
    }

    /** The first index whose timestamp is at or after {@code second}. */
    int lowerBound(long second) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (seconds[mid] < second) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }

  private final Map<MetricKey, Series> series = new HashMap<>();
  private final List<String> units = new ArrayList<>();
  private final Map<String, Byte> unitIndex = new HashMap<>();
  /** Equal bucket bytes across series share one array. */
  private byte[] lastBuckets;
  /** Alarms of a fleet read in parallel; writes (publishes) are short. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /**
   * Stores one datapoint. Timestamps keep whole seconds for high-resolution data
   * ({@code storageResolutionSeconds == 1}) and whole minutes otherwise, as CloudWatch stores them.
   */
  public void put(MetricKey key, Instant timestamp, int storageResolutionSeconds, Instant visibleAt, String unit,
      Distribution distribution) {
    lock.writeLock().lock();
    try {
      putLocked(key, timestamp, storageResolutionSeconds, visibleAt, unit, distribution);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * All datapoints of {@code key} with a timestamp in {@code [from, to)} that are visible at
   * {@code now}, merged; empty when there are none. {@code unit} null means every unit.
   */
  public Optional<Distribution> aggregate(MetricKey key, String unit, Instant from, Instant to, Instant now) {
    lock.readLock().lock();
    try {
      return aggregateLocked(key, unit, from, to, now);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The units {@code key}'s datapoints were published with, sorted. */
  public List<String> units(MetricKey key) {
    lock.readLock().lock();
    try {
      return unitsLocked(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every metric that has data, sorted; with {@code activeSince} only those with data at or after it. */
  public List<MetricKey> metrics(Instant activeSince) {
    lock.readLock().lock();
    try {
      return metricsLocked(activeSince);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Number of stored datapoints (each publish of one series at one timestamp counts once). */
  public long datapointCount() {
    lock.readLock().lock();
    try {
      return datapointCountLocked();
    } finally {
      lock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- under the lock

  private void putLocked(MetricKey key, Instant timestamp, int storageResolutionSeconds, Instant visibleAt,
      String unit, Distribution distribution) {
    Instant stored = timestamp.truncatedTo(storageResolutionSeconds == 1 ? ChronoUnit.SECONDS : ChronoUnit.MINUTES);
    long second = stored.getEpochSecond();
    Series s = series.computeIfAbsent(key, k -> new Series());
    if (s.size == s.seconds.length) {
      s.grow();
    }
    // After every datapoint with the same or an earlier timestamp: reads merge in arrival order.
    int at = s.size > 0 && s.seconds[s.size - 1] <= second ? s.size : s.lowerBound(second + 1);
    if (at < s.size) {
      int tail = s.size - at;
      System.arraycopy(s.seconds, at, s.seconds, at + 1, tail);
      System.arraycopy(s.visibleNanos, at, s.visibleNanos, at + 1, tail);
      System.arraycopy(s.unit, at, s.unit, at + 1, tail);
      System.arraycopy(s.shape, at, s.shape, at + 1, tail);
      System.arraycopy(s.sampleCount, at, s.sampleCount, at + 1, tail);
      System.arraycopy(s.sum, at, s.sum, at + 1, tail);
      System.arraycopy(s.minimum, at, s.minimum, at + 1, tail);
      System.arraycopy(s.maximum, at, s.maximum, at + 1, tail);
      System.arraycopy(s.payload, at, s.payload, at + 1, tail);
    }
    s.seconds[at] = second;
    s.visibleNanos[at] = nanos(visibleAt);
    s.unit[at] = unitIndex(unit == null ? NO_UNIT : unit);
    s.sampleCount[at] = distribution.sampleCount();
    s.sum[at] = distribution.sum();
    s.minimum[at] = distribution.minimum();
    s.maximum[at] = distribution.maximum();
    s.payload[at] = null;
    s.shape[at] = encode(s, at, distribution);
    s.size++;
    if (second > s.latest) {
      s.latest = second;
    }
  }

  private Optional<Distribution> aggregateLocked(MetricKey key, String unit, Instant from, Instant to, Instant now) {
    Series s = series.get(key);
    if (s == null) {
      return Optional.empty();
    }
    int u = -1;
    if (unit != null) {
      Byte index = unitIndex.get(unit);
      if (index == null) {
        return Optional.empty();
      }
      u = index;
    }
    // Timestamps are whole seconds: [from, to) holds the seconds from ceil(from) to ceil(to) - 1.
    long first = ceilSecond(from);
    long end = ceilSecond(to);
    long nowNanos = nanos(now);
    Distribution merged = null;
    for (int i = s.lowerBound(first); i < s.size && s.seconds[i] < end; i++) {
      if (s.visibleNanos[i] > nowNanos || (u >= 0 && s.unit[i] != u)) {
        continue;
      }
      Distribution d = decode(s, i);
      merged = merged == null ? d : merged.merge(d);
    }
    return Optional.ofNullable(merged);
  }

  private List<String> unitsLocked(MetricKey key) {
    Series s = series.get(key);
    if (s == null) {
      return List.of();
    }
    java.util.TreeSet<String> result = new java.util.TreeSet<>();
    for (int i = 0; i < s.size; i++) {
      result.add(units.get(s.unit[i]));
    }
    return List.copyOf(result);
  }

  private List<MetricKey> metricsLocked(Instant activeSince) {
    List<MetricKey> keys = new ArrayList<>();
    series.forEach((k, s) -> {
      if (activeSince == null || !Instant.ofEpochSecond(s.latest).isBefore(activeSince)) {
        keys.add(k);
      }
    });
    keys.sort(null);
    return keys;
  }

  private long datapointCountLocked() {
    long n = 0;
    for (Series s : series.values()) {
      n += s.size;
    }
    return n;
  }

  // ---------------------------------------------------------------- compact values

  private byte unitIndex(String unit) {
    Byte index = unitIndex.get(unit);
    if (index == null) {
      if (units.size() > Byte.MAX_VALUE) {
        // CloudWatch has 27 units; an unknown one is rejected before it gets here.
        throw new IllegalStateException("more than " + (Byte.MAX_VALUE + 1) + " distinct units");
      }
      index = (byte) units.size();
      units.add(unit);
      unitIndex.put(unit, index);
    }
    return index;
  }

  /** Picks the smallest form that decodes to a distribution equal to {@code d}, field for field. */
  private byte encode(Series s, int at, Distribution d) {
    double[] values = d.values();
    double[] counts = d.counts();
    if (values == null) {
      if (d.sampleCount() == 1 || d.minimum() == d.maximum()) {
        // ofStatisticSet would give such a set its one value back.
        s.payload[at] = d;
        return AS_IS;
      }
      return NO_VALUES;
    }
    if (values.length == 1 && counts[0] > 0 && counts[0] == d.sampleCount() && values[0] == d.minimum()
        && values[0] == d.maximum() && d.sum() == values[0] * counts[0]) {
      return ONE_VALUE;
    }
    if (values.length == 2 && values[0] == d.minimum() && values[1] == d.maximum()) {
      double[] derived = twoCounts(d.sampleCount(), d.sum(), values[0], values[1]);
      if (derived[0] == counts[0] && derived[1] == counts[1]
          && d.sampleCount() == counts[0] + counts[1] && d.sum() == values[0] * counts[0] + values[1] * counts[1]) {
        return TWO_VALUES;
      }
    }
    byte[] buckets = buckets(values, counts);
    if (buckets != null) {
      Distribution back = Distribution.fromSorted(bucketValues(buckets), bucketCounts(buckets));
      if (back.sampleCount() == d.sampleCount() && back.sum() == d.sum() && back.minimum() == d.minimum()
          && back.maximum() == d.maximum()) {
        if (Arrays.equals(buckets, s.lastBuckets)) {
          buckets = s.lastBuckets;
        } else if (Arrays.equals(buckets, lastBuckets)) {
          buckets = lastBuckets;
        }
        s.lastBuckets = buckets;
        lastBuckets = buckets;
        s.payload[at] = buckets;
        return BUCKETS;
      }
    }
    s.payload[at] = d;
    return AS_IS;
  }

  private static Distribution decode(Series s, int i) {
    return switch (s.shape[i]) {
      case NO_VALUES -> Distribution.ofStatisticSet(s.sampleCount[i], s.sum[i], s.minimum[i], s.maximum[i]);
      case ONE_VALUE -> Distribution.ofRepeated(s.minimum[i], s.sampleCount[i]);
      case TWO_VALUES -> {
        double[] c = twoCounts(s.sampleCount[i], s.sum[i], s.minimum[i], s.maximum[i]);
        yield Distribution.fromSorted(new double[] {s.minimum[i], s.maximum[i]}, c);
      }
      case BUCKETS -> {
        byte[] b = (byte[]) s.payload[i];
        yield Distribution.fromSorted(bucketValues(b), bucketCounts(b));
      }
      default -> (Distribution) s.payload[i];
    };
  }

  /** The counts of minimum and maximum in a two-value distribution, from its count and sum. */
  private static double[] twoCounts(double sampleCount, double sum, double minimum, double maximum) {
    double high = (sum - minimum * sampleCount) / (maximum - minimum);
    return new double[] {sampleCount - high, high};
  }

  /**
   * The latency histogram as varint pairs (gap to the previous bucket, count), or null when a
   * value is not a bucket's value or a count is not a whole number of requests.
   */
  private static byte[] buckets(double[] values, double[] counts) {
    byte[] out = new byte[values.length * 4 + 5];
    int n = 0;
    int previous = 0;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!(v > 0) || counts[i] != Math.rint(counts[i]) || counts[i] < 1 || counts[i] > Integer.MAX_VALUE) {
        return null;
      }
      int bucket = Sampling.bucketOf(v);
      if (Sampling.bucketValue(bucket) != v || (i > 0 && bucket <= previous)) {
        return null;
      }
      if (i == 0) {
        n = putVarint(out, n, zigzag(bucket));
      } else {
        n = putVarint(out, n, bucket - previous);
      }
      previous = bucket;
      if (n + 10 > out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      n = putVarint(out, n, (int) counts[i]);
    }
    return Arrays.copyOf(out, n);
  }

  private static int bucketEntries(byte[] b) {
    int entries = 0;
    for (byte x : b) {
      if (x >= 0) {
        entries++;
      }
    }
    return entries / 2;
  }

  private static double[] bucketValues(byte[] b) {
    double[] values = new double[bucketEntries(b)];
    int[] pos = {0};
    int bucket = 0;
    for (int i = 0; i < values.length; i++) {
      int gap = getVarint(b, pos);
      bucket = i == 0 ? unzigzag(gap) : bucket + gap;
      values[i] = Sampling.bucketValue(bucket);
      getVarint(b, pos);
    }
    return values;
  }

  private static double[] bucketCounts(byte[] b) {
    double[] counts = new double[bucketEntries(b)];
    int[] pos = {0};
    for (int i = 0; i < counts.length; i++) {
      getVarint(b, pos);
      counts[i] = getVarint(b, pos);
    }
    return counts;
  }

  private static int zigzag(int x) {
    return (x << 1) ^ (x >> 31);
  }

  private static int unzigzag(int x) {
    return (x >>> 1) ^ -(x & 1);
  }

  private static int putVarint(byte[] out, int n, int value) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      out[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[n++] = (byte) v;
    return n;
  }

  private static int getVarint(byte[] b, int[] pos) {
    int value = 0;
    int shift = 0;
    byte x;
    do {
      x = b[pos[0]++];
      value |= (x & 0x7F) << shift;
      shift += 7;
    } while (x < 0);
    return value;
  }

  /** Nanoseconds since the epoch, saturated beyond year 2262 (reads "at the end of time"). */
  private static long nanos(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L - 1) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / 1_000_000_000L + 1) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + t.getNano();
  }

  private static long ceilSecond(Instant t) {
    return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
  }
}
