package dev.poolshift.local.cloudwatch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded draws for the traffic model: per-period counts instead of individual requests, so a
 * two-hour rehearsal costs milliseconds. Poisson and binomial draws are exact for small means and
 * use the normal approximation above a mean (or variance) of 30 / 9, where it is accurate to well
 * under one percent.
 */
final class Sampling {
  /** Latency histogram buckets grow by 2%: a percentile read from them is within 1% of the sample's. */
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

  /** The value a bucket stands for: its geometric middle. */
  static double bucketValue(int bucket) {
    return Math.exp((bucket + 0.5) * LOG_RATIO);
  }

  /** Adds {@code n} log-normal(mu, sigma) samples to {@code into}, by bucket. */
  static void lognormal(SplittableRandom random, long n, double mu, double sigma, BucketCounts into) {
    if (n <= 0) {
      return;
    }
    if (sigma == 0) {
      into.add(bucketOf(Math.exp(mu)), n);
      return;
    }
    if (n <= DIRECT_LATENCY_LIMIT) {
      for (long i = 0; i < n; i++) {
        into.add(bucketOf(Math.exp(mu + sigma * gaussian(random))), 1);
      }
      return;
    }
    int low = (int) Math.floor((mu - SIGMA_SPAN * sigma) / LOG_RATIO);
    int high = (int) Math.floor((mu + SIGMA_SPAN * sigma) / LOG_RATIO);
    long remaining = n;
    double remainingMass = 1;
    double previousCdf = 0;
    for (int b = low; b <= high && remaining > 0; b++) {
      double cdf = b == high ? 1 : normalCdf(((b + 1) * LOG_RATIO - mu) / sigma);
      double mass = cdf - previousCdf;
      previousCdf = cdf;
      long k = b == high ? remaining : binomial(random, remaining, Math.min(1, mass / remainingMass));
      if (k > 0) {
        into.add(b, k);
        remaining -= k;
      }
      remainingMass -= mass;
      if (remainingMass <= 0) {
        if (remaining > 0) {
          into.add(b, remaining);
        }
        break;
      }
    }
  }

  /** Counts per latency bucket, dense over the range seen so far. */
  static final class BucketCounts {
    private int base;
    private double[] counts = new double[0];

    void add(int bucket, double count) {
      if (counts.length == 0) {
        base = bucket;
        counts = new double[64];
      } else if (bucket < base) {
        int shift = base - bucket;
        double[] grown = new double[counts.length + shift];
        System.arraycopy(counts, 0, grown, shift, counts.length);
        counts = grown;
        base = bucket;
      } else if (bucket - base >= counts.length) {
        counts = Arrays.copyOf(counts, Math.max(counts.length * 2, bucket - base + 1));
      }
      counts[bucket - base] += count;
    }

    void addAll(BucketCounts other) {
      for (int i = 0; i < other.counts.length; i++) {
        if (other.counts[i] > 0) {
          add(other.base + i, other.counts[i]);
        }
      }
    }

    boolean isEmpty() {
      for (double c : counts) {
        if (c > 0) {
          return false;
        }
      }
      return true;
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
