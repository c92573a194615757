package dev.poolshift.local.cloudwatch;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CloudWatch statistic: the five simple ones ({@code SampleCount, Average, Sum, Minimum,
 * Maximum}) and the extended ones the local runtime computes from raw values: {@code pNN},
 * {@code tmNN/tcNN/tsNN/wmNN} (shorthand for {@code TM(0%:NN%)} etc.), {@code IQM}, and
 * {@code TM/TC/TS/WM/PR(a:b)} with percent or absolute bounds (CloudWatch statistics definitions).
 * An extended statistic over a datapoint without raw values yields no value.
 */
public final class Statistic {
  /** The values of PutMetricAlarm's {@code Statistic} member (an enum on the wire). */
  public static final Set<String> SIMPLE = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");

  private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,3}(?:\\.\\d+)?)");
  private static final Pattern SHORT_TRIM = Pattern.compile("(tm|tc|ts|wm)(\\d{1,3}(?:\\.\\d+)?)");
  private static final Pattern RANGE = Pattern.compile("(TM|TC|TS|WM|PR)\\(([^:()]*):([^:()]*)\\)");

  private enum Kind { SAMPLE_COUNT, AVERAGE, SUM, MINIMUM, MAXIMUM, PERCENTILE, TM, TC, TS, WM, PR }

  private final String name;
  private final Kind kind;
  private final double low;
  private final double high;
  private final boolean lowPercent;
  private final boolean highPercent;

  private Statistic(String name, Kind kind, double low, boolean lowPercent, double high, boolean highPercent) {
    this.name = name;
    this.kind = kind;
    this.low = low;
    this.high = high;
    this.lowPercent = lowPercent;
    this.highPercent = highPercent;
  }

  /** Parses a statistic as {@code MetricStat.Stat} or {@code ExtendedStatistic} accept it; empty if invalid. */
  public static Optional<Statistic> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    switch (text) {
      case "SampleCount" -> {
        return Optional.of(new Statistic(text, Kind.SAMPLE_COUNT, 0, false, 0, false));
      }
      case "Average" -> {
        return Optional.of(new Statistic(text, Kind.AVERAGE, 0, false, 0, false));
      }
      case "Sum" -> {
        return Optional.of(new Statistic(text, Kind.SUM, 0, false, 0, false));
      }
      case "Minimum" -> {
        return Optional.of(new Statistic(text, Kind.MINIMUM, 0, false, 0, false));
      }
      case "Maximum" -> {
        return Optional.of(new Statistic(text, Kind.MAXIMUM, 0, false, 0, false));
      }
      case "IQM" -> {
        return Optional.of(new Statistic(text, Kind.TM, 25, true, 75, true));
      }
      default -> {
        // handled below
      }
    }
    Matcher m = PERCENTILE.matcher(text);
    if (m.matches()) {
      double p = Double.parseDouble(m.group(1));
      return p > 100 ? Optional.empty() : Optional.of(new Statistic(text, Kind.PERCENTILE, p, true, p, true));
    }
    m = SHORT_TRIM.matcher(text);
    if (m.matches()) {
      double p = Double.parseDouble(m.group(2));
      Kind kind = Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
      return p > 100 ? Optional.empty() : Optional.of(new Statistic(text, kind, 0, true, p, true));
    }
    m = RANGE.matcher(text);
    if (m.matches()) {
      Kind kind = Kind.valueOf(m.group(1));
      Bound lo = Bound.parse(m.group(2), true);
      Bound hi = Bound.parse(m.group(3), false);
      if (lo == null || hi == null || (lo.percent && hi.percent && lo.value >= hi.value)) {
        return Optional.empty();
      }
      if (kind == Kind.PR && (lo.percent || hi.percent)) {
        return Optional.empty();
      }
      if (kind == Kind.WM && !(lo.percent && hi.percent)) {
        return Optional.empty();
      }
      return Optional.of(new Statistic(text, kind, lo.value, lo.percent, hi.value, hi.percent));
    }
    return Optional.empty();
  }

  private record Bound(double value, boolean percent) {
    static Bound parse(String text, boolean isLow) {
      String t = text.trim();
      if (t.isEmpty()) {
        return isLow ? new Bound(0, true) : new Bound(100, true);
      }
      boolean percent = t.endsWith("%");
      try {
        double v = Double.parseDouble(percent ? t.substring(0, t.length() - 1) : t);
        if (percent && (v < 0 || v > 100)) {
          return null;
        }
        return new Bound(v, percent);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  public String name() {
    return name;
  }

  /** Whether this is one of the five simple statistics (the {@code Statistic} enum on the wire). */
  public boolean isSimple() {
    return SIMPLE.contains(name);
  }

  /** The percentile for {@code pNN} statistics, else empty (low-sample-count rules apply to these). */
  public Optional<Double> percentile() {
    return kind == Kind.PERCENTILE ? Optional.of(low) : Optional.empty();
  }

  /** The statistic of {@code d}; NaN when it cannot be computed (no raw values, empty trim range). */
  public double apply(Distribution d) {
    return switch (kind) {
      case SAMPLE_COUNT -> d.sampleCount();
      case AVERAGE -> d.average();
      case SUM -> d.sum();
      case MINIMUM -> d.minimum();
      case MAXIMUM -> d.maximum();
      case PERCENTILE -> d.percentile(low);
      case PR -> {
        double[] slice = d.valueSlice(low, high);
        yield slice == null ? Double.NaN : 100.0 * slice[1] / d.sampleCount();
      }
      case TM, TC, TS, WM -> trimmed(d);
    };
  }

  private double trimmed(Distribution d) {
    double[] slice;
    if (lowPercent && highPercent) {
      double lowRank = low / 100.0 * d.sampleCount();
      double highRank = high / 100.0 * d.sampleCount();
      if (kind == Kind.WM) {
        return d.winsorizedMean(lowRank, highRank);
      }
      slice = d.rankSlice(lowRank, highRank);
    } else {
      // Absolute bounds (or one of each): slice by value; a percent bound becomes its percentile.
      double lo = lowPercent ? (low == 0 ? Double.NEGATIVE_INFINITY : d.percentile(low)) : low;
      double hi = highPercent ? d.percentile(high) : high;
      slice = d.valueSlice(lo, hi);
    }
    if (slice == null) {
      return Double.NaN;
    }
    return switch (kind) {
      case TM -> slice[1] > 0 ? slice[0] / slice[1] : Double.NaN;
      case TC -> slice[1];
      case TS -> slice[0];
      default -> Double.NaN;
    };
  }

  @Override
  public String toString() {
    return name;
  }
}
