package dev.poolshift.local.cloudwatch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded draws for the traffic model: per-period counts instead of individual requests, so a
 * two-hour rehearsal costs milliseconds. Poisson and binomial draws are exact for small means and
 * use the normal approximation above a mean (or variance) of 30 / 9, where it is accurate to well
 * under one percent. Latencies go into buckets 2% wide, so a percentile read from them is within
 * 1% of the sample's.
 */
final class Sampling {
  static final double BUCKET_RATIO = 1.02;
  static final double LOG_RATIO = Math.log(BUCKET_RATIO);
  /** Up to this many requests, latencies are drawn one by one; above it, bucket by bucket. */
  private static final int DIRECT_LATENCY_LIMIT = 200;
  /** Buckets cover mu ± 5 sigma; the tails beyond fold into the outermost buckets. */
  private static final double SIGMA_SPAN = 5;

  private Sampling() {}

  static long poisson(SplittableRandom random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean >= 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    long k = 0;
    while (product > limit) {
      product *= random.nextDouble();
      k++;
    }
    return k;
  }

  static long binomial(SplittableRandom random, long n, double p) {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    if (p > 0.5) {
      return n - binomial(random, n, 1 - p);
    }
    double variance = n * p * (1 - p);
    if (variance > 9) {
      long k = Math.round(n * p + Math.sqrt(variance) * gaussian(random));
      return Math.clamp(k, 0, n);
    }
    if (n <= 64) {
      long k = 0;
      for (long i = 0; i < n; i++) {
        if (random.nextDouble() < p) {
          k++;
        }
      }
      return k;
    }
    // Inversion: walk the CDF from 0; the mean is at most 18 here, so this is short.
    double u = random.nextDouble();
    double probability = Math.exp(n * Math.log1p(-p));
    double cumulative = probability;
    long k = 0;
    double ratio = p / (1 - p);
    while (u > cumulative && k < n) {
      probability *= ratio * (n - k) / (k + 1);
      k++;
      cumulative += probability;
      if (probability < 1e-300 && cumulative >= 1 - 1e-12) {
        break;
      }
    }
    return k;
  }

  static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian.
    double u1 = random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Standard normal CDF (Abramowitz and Stegun 7.1.26; absolute error below 1.5e-7). */
  static double normalCdf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
    double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double erf = 1 - poly * Math.exp(-x * x / 2);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }

  static int bucketOf(double value) {
    return (int) Math.floor(Math.log(value) / LOG_RATIO);
  }

  private static final double[] BUCKET_VALUES = new double[2048];

  static {
    for (int i = 0; i < BUCKET_VALUES.length; i++) {
      BUCKET_VALUES[i] = Math.exp((i + 0.5) * LOG_RATIO);
    }
  }

  /** The value a bucket stands for: its geometric middle. */
  static double bucketValue(int bucket) {
    return bucket >= 0 && bucket < BUCKET_VALUES.length ? BUCKET_VALUES[bucket] : Math.exp((bucket + 0.5) * LOG_RATIO);
  }

  /**
   * The cumulative probabilities of a log-normal(mu, sigma) over latency buckets, computed once per
   * profile. Buckets cover mu ± 5 sigma; the tails beyond fold into the outermost buckets.
   */
  static final class LatencyTable {
    final double mu;
    final double sigma;
    final int firstBucket;
    /** cumulative[i] = P(latency below the upper edge of bucket firstBucket + i); the last is 1. */
    final double[] cumulative;

    LatencyTable(double mu, double sigma) {
      this.mu = mu;
      this.sigma = sigma;
      if (sigma == 0) {
        firstBucket = bucketOf(Math.exp(mu));
        cumulative = new double[] {1};
        return;
      }
      firstBucket = (int) Math.floor((mu - SIGMA_SPAN * sigma) / LOG_RATIO);
      int last = (int) Math.floor((mu + SIGMA_SPAN * sigma) / LOG_RATIO);
      cumulative = new double[last - firstBucket + 1];
      for (int i = 0; i < cumulative.length - 1; i++) {
        cumulative[i] = normalCdf(((firstBucket + i + 1) * LOG_RATIO - mu) / sigma);
      }
      cumulative[cumulative.length - 1] = 1;
    }
  }

  /**
   * Adds {@code n} latencies from {@code table}'s log-normal to {@code into}, by bucket. Up to
   * {@value #DIRECT_LATENCY_LIMIT} requests each latency is drawn; above, the n latencies are the
   * distribution's quantiles at (k + u) / n for one random u (systematic sampling): the histogram
   * follows the profile closely at a cost independent of n.
   */
  static void lognormal(SplittableRandom random, long n, LatencyTable table, BucketCounts into) {
    if (n <= 0) {
      return;
    }
    if (table.sigma == 0) {
      into.add(table.firstBucket, n);
      return;
    }
    if (n <= DIRECT_LATENCY_LIMIT) {
      for (long i = 0; i < n; i++) {
        into.add(bucketOf(Math.exp(table.mu + table.sigma * gaussian(random))), 1);
      }
      return;
    }
    double u = random.nextDouble();
    long before = 0;
    for (int i = 0; i < table.cumulative.length && before < n; i++) {
      double position = n * table.cumulative[i] - u;
      long upTo = position < 0 ? 0 : Math.min(n, (long) Math.floor(position) + 1);
      if (i == table.cumulative.length - 1) {
        upTo = n;
      }
      if (upTo > before) {
        into.add(table.firstBucket + i, upTo - before);
        before = upTo;
      }
    }
  }

  /** Counts per latency bucket, dense over the range seen so far. */
  static final class BucketCounts {
    private int base;
    private double[] counts = new double[0];

    BucketCounts() {}

    /** Pre-sized for the buckets of {@code table}. */
    BucketCounts(LatencyTable table) {
      base = table.firstBucket;
      counts = new double[table.cumulative.length];
    }

    /** Makes room for buckets {@code low..high} in one step. */
    private void ensure(int low, int high) {
      if (counts.length == 0) {
        base = low;
        counts = new double[high - low + 1];
        return;
      }
      int newBase = Math.min(base, low);
      int newEnd = Math.max(base + counts.length - 1, high);
      if (newBase == base && newEnd == base + counts.length - 1) {
        return;
      }
      double[] grown = new double[newEnd - newBase + 1];
      System.arraycopy(counts, 0, grown, base - newBase, counts.length);
      counts = grown;
      base = newBase;
    }

    void add(int bucket, double count) {
      if (counts.length == 0 || bucket < base || bucket >= base + counts.length) {
        ensure(bucket, bucket);
      }
      counts[bucket - base] += count;
    }

    void addAll(BucketCounts other) {
      if (other.counts.length == 0) {
        return;
      }
      ensure(other.base, other.base + other.counts.length - 1);
      int offset = other.base - base;
      for (int i = 0; i < other.counts.length; i++) {
        counts[offset + i] += other.counts[i];
      }
    }

    Distribution toDistribution() {
      int nonEmpty = 0;
      for (double c : counts) {
        if (c > 0) {
          nonEmpty++;
        }
      }
      double[] values = new double[nonEmpty];
      double[] weights = new double[nonEmpty];
      int n = 0;
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          values[n] = bucketValue(base + i);
          weights[n++] = counts[i];
        }
      }
      return Distribution.fromSorted(values, weights);
    }
  }
}
