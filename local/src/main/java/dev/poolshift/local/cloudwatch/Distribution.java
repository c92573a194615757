package dev.poolshift.local.cloudwatch;

import java.util.Arrays;

/**
 * The values behind one datapoint: the statistic set (sample count, sum, minimum, maximum) and,
 * when known, every distinct value with its count, so percentiles and trimmed statistics can be
 * computed after any number of datapoints are merged into one period.
 *
 * <p>CloudWatch needs raw values for percentiles: a datapoint published as a bare statistic set
 * has none, unless its sample count is 1 or its minimum equals its maximum (API:GetMetricStatistics).
 * Such datapoints carry {@code values == null} here, and so does any merge that includes one.
 * Immutable.
 */
public final class Distribution {
  private final double sampleCount;
  private final double sum;
  private final double minimum;
  private final double maximum;
  /** Distinct values, ascending; null when only the statistic set is known. */
  private final double[] values;
  /** How many samples had each value (same length as {@link #values}). */
  private final double[] counts;

  private Distribution(double sampleCount, double sum, double minimum, double maximum, double[] values, double[] counts) {
    this.sampleCount = sampleCount;
    this.sum = sum;
    this.minimum = minimum;
    this.maximum = maximum;
    this.values = values;
    this.counts = counts;
  }

  /** One sample. */
  public static Distribution ofValue(double value) {
    return new Distribution(1, value, value, value, new double[] {value}, new double[] {1});
  }

  /** {@code count} samples that all have {@code value}. */
  public static Distribution ofRepeated(double value, double count) {
    if (!(count > 0)) {
      throw new IllegalArgumentException("count must be > 0, got " + count);
    }
    return new Distribution(count, value * count, value, value, new double[] {value}, new double[] {count});
  }

  /** Values with their counts (PutMetricData's {@code Values}/{@code Counts}); need not be sorted. */
  public static Distribution ofValues(double[] values, double[] counts) {
    if (values.length == 0 || values.length != counts.length) {
      throw new IllegalArgumentException("values and counts must be non-empty and of equal length");
    }
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double[] v = new double[values.length];
    double[] c = new double[values.length];
    int n = 0;
    for (int idx : order) {
      if (counts[idx] <= 0) {
        continue;
      }
      if (n > 0 && v[n - 1] == values[idx]) {
        c[n - 1] += counts[idx];
      } else {
        v[n] = values[idx];
        c[n] = counts[idx];
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("counts must contain a positive value");
    }
    return fromSorted(Arrays.copyOf(v, n), Arrays.copyOf(c, n));
  }

  /** Ascending distinct values with positive counts, trusted as is (the traffic model's histograms). */
  static Distribution fromSorted(double[] values, double[] counts) {
    double total = 0;
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      total += counts[i];
      sum += values[i] * counts[i];
    }
    return new Distribution(total, sum, values[0], values[values.length - 1], values, counts);
  }

  /** A statistic set without raw values (PutMetricData's {@code StatisticValues}). */
  public static Distribution ofStatisticSet(double sampleCount, double sum, double minimum, double maximum) {
    if (sampleCount == 1 || minimum == maximum) {
      return new Distribution(sampleCount, sum, minimum, maximum, new double[] {minimum}, new double[] {sampleCount});
    }
    return new Distribution(sampleCount, sum, minimum, maximum, null, null);
  }

  /** Both distributions as one, as CloudWatch aggregates datapoints that fall in one period. */
  public Distribution merge(Distribution other) {
    double[] v = null;
    double[] c = null;
    if (values != null && other.values != null) {
      v = new double[values.length + other.values.length];
      c = new double[v.length];
      int i = 0;
      int j = 0;
      int n = 0;
      while (i < values.length || j < other.values.length) {
        double next;
        double count;
        if (j >= other.values.length || (i < values.length && values[i] <= other.values[j])) {
          next = values[i];
          count = counts[i++];
        } else {
          next = other.values[j];
          count = other.counts[j++];
        }
        if (n > 0 && v[n - 1] == next) {
          c[n - 1] += count;
        } else {
          v[n] = next;
          c[n++] = count;
        }
      }
      v = Arrays.copyOf(v, n);
      c = Arrays.copyOf(c, n);
    }
    return new Distribution(sampleCount + other.sampleCount, sum + other.sum, Math.min(minimum, other.minimum),
        Math.max(maximum, other.maximum), v, c);
  }

  /** The distinct values, ascending, or null; the array itself: never modify it. */
  double[] values() {
    return values;
  }

  /** The count of each of {@link #values()}, or null; the array itself: never modify it. */
  double[] counts() {
    return counts;
  }

  public double sampleCount() {
    return sampleCount;
  }

  public double sum() {
    return sum;
  }

  public double minimum() {
    return minimum;
  }

  public double maximum() {
    return maximum;
  }

  public double average() {
    return sum / sampleCount;
  }

  /** Whether raw values are known (percentiles and trimmed statistics are computable). */
  public boolean hasValues() {
    return values != null;
  }

  /**
   * The {@code percent}-th percentile by nearest rank: the smallest value with at least {@code
   * percent}% of the samples at or below it. NaN without raw values.
   */
  public double percentile(double percent) {
    if (values == null) {
      return Double.NaN;
    }
    if (percent <= 0) {
      return minimum;
    }
    double target = percent / 100.0 * sampleCount;
    double cumulative = 0;
    for (int i = 0; i < values.length; i++) {
      cumulative += counts[i];
      if (cumulative >= target - 1e-9 * sampleCount) {
        return values[i];
      }
    }
    return maximum;
  }

  /**
   * Sum and count of the samples whose rank lies in {@code (lowRank, highRank]} (ranks in samples,
   * 0..sampleCount); a value straddling a bound counts in proportion. Index 2 and 3 hold the
   * values at the two bounds (for winsorizing). Null without raw values.
   */
  double[] rankSlice(double lowRank, double highRank) {
    if (values == null) {
      return null;
    }
    double sliceSum = 0;
    double sliceCount = 0;
    double lowValue = values[0];
    double highValue = values[values.length - 1];
    double cumulative = 0;
    boolean lowFound = false;
    for (int i = 0; i < values.length; i++) {
      double from = cumulative;
      double to = cumulative + counts[i];
      if (!lowFound && to > lowRank) {
        lowValue = values[i];
        lowFound = true;
      }
      if (from < highRank && to >= highRank) {
        highValue = values[i];
      }
      double overlap = Math.min(to, highRank) - Math.max(from, lowRank);
      if (overlap > 0) {
        sliceSum += overlap * values[i];
        sliceCount += overlap;
      }
      cumulative = to;
    }
    return new double[] {sliceSum, sliceCount, lowValue, highValue};
  }

  /** Sum and count of the samples with {@code low < value <= high}; null without raw values. */
  double[] valueSlice(double low, double high) {
    if (values == null) {
      return null;
    }
    double sliceSum = 0;
    double sliceCount = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] > low && values[i] <= high) {
        sliceSum += values[i] * counts[i];
        sliceCount += counts[i];
      }
    }
    return new double[] {sliceSum, sliceCount};
  }

  /** Winsorized mean over ranks {@code (lowRank, highRank]}: values outside are clamped to the bounds. */
  double winsorizedMean(double lowRank, double highRank) {
    double[] slice = rankSlice(lowRank, highRank);
    if (slice == null) {
      return Double.NaN;
    }
    double below = lowRank;
    double above = sampleCount - highRank;
    return (slice[0] + below * slice[2] + above * slice[3]) / sampleCount;
  }

  @Override
  public String toString() {
    return "Distribution[n=" + sampleCount + ", sum=" + sum + ", min=" + minimum + ", max=" + maximum
        + (values == null ? ", no values" : ", " + values.length + " distinct") + "]";
  }
}
