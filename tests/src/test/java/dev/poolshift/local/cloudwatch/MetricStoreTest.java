package dev.poolshift.local.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricStoreTest {
  private static final MetricKey KEY = MetricKey.of("AWS/SageMaker", "ModelLatency", "EndpointName", "e1");
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final List<String> STATISTICS = List.of("SampleCount", "Sum", "Minimum", "Maximum", "Average",
      "p50", "p90", "p99", "p99.9", "tm90", "TM(10%:90%)", "wm99", "TC(100:5000)", "TS(1%:99%)", "PR(100:300)");

  private static Distribution latency(long seed, long requests) {
    Sampling.LatencyTable table = new Sampling.LatencyTable(Math.log(250), 0.4);
    Sampling.BucketCounts buckets = new Sampling.BucketCounts(table);
    Sampling.lognormal(new SplittableRandom(seed), requests, table, buckets);
    return buckets.toDistribution();
  }

  /** Every shape a datapoint can take: counts, error flags, latency histograms, statistic sets, raw values. */
  private static List<Distribution> everyShape() {
    return List.of(Distribution.ofValue(42.5), Distribution.ofRepeated(1, 1234),
        Distribution.ofValues(new double[] {0, 1}, new double[] {997, 3}),
        Distribution.ofValues(new double[] {0, 1}, new double[] {50, 0}),
        Distribution.ofValues(new double[] {0.25, 0.5}, new double[] {3, 7}),
        latency(1, 80), latency(2, 5000), latency(3, 1),
        Distribution.ofStatisticSet(10, 55, 1, 10), Distribution.ofStatisticSet(1, 7, 7, 7),
        Distribution.ofStatisticSet(4, 9, 2, 2),
        Distribution.ofValues(new double[] {3.3, 1.1, 2.2}, new double[] {0.5, 2, 1}),
        Distribution.ofValues(new double[] {-5, 1e9}, new double[] {1, 1}));
  }

  private static List<Double> statistics(Distribution d) {
    List<Double> result = new ArrayList<>();
    for (String name : STATISTICS) {
      result.add(Statistic.parse(name).orElseThrow().apply(d));
    }
    return result;
  }

  @Test
  void everyStoredShapeReadsBackAsTheDistributionThatWasPublished() {
    for (Distribution d : everyShape()) {
      MetricStore store = new MetricStore();
      store.put(KEY, T0, 1, T0, "Microseconds", d);

      Distribution back = store.aggregate(KEY, null, T0, T0.plusSeconds(10), T0).orElseThrow();

      assertThat(back.toString()).isEqualTo(d.toString());
      assertThat(statistics(back)).as(d.toString()).isEqualTo(statistics(d));
    }
  }

  @Test
  void aPeriodMergesItsDatapointsInTheOrderTheyArrivedWithTheSameStatistics() {
    MetricStore store = new MetricStore();
    List<Distribution> shapes = everyShape();
    Distribution expected = null;
    // Later timestamps first, then earlier ones: reads still merge by timestamp, then by arrival.
    for (int second = 9; second >= 0; second--) {
      for (int i = 0; i < shapes.size(); i++) {
        Distribution d = shapes.get((i + second) % shapes.size());
        store.put(KEY, T0.plusSeconds(second), 1, T0, null, d);
      }
    }
    for (int second = 0; second <= 9; second++) {
      for (int i = 0; i < shapes.size(); i++) {
        Distribution d = shapes.get((i + second) % shapes.size());
        expected = expected == null ? d : expected.merge(d);
      }
    }

    Distribution merged = store.aggregate(KEY, null, T0, T0.plusSeconds(10), T0).orElseThrow();

    assertThat(merged.toString()).isEqualTo(expected.toString());
    assertThat(statistics(merged)).isEqualTo(statistics(expected));
  }

  @Test
  void readsSeeOnlyVisibleDatapointsOfTheUnitInTheHalfOpenRange() {
    MetricStore store = new MetricStore();
    store.put(KEY, T0, 1, T0.plusSeconds(12), "Microseconds", Distribution.ofValue(1));
    store.put(KEY, T0.plusSeconds(10), 1, T0.plusSeconds(22), "Microseconds", Distribution.ofValue(2));
    store.put(KEY, T0.plusSeconds(10), 1, T0.plusSeconds(22), "Milliseconds", Distribution.ofValue(4));
    store.put(KEY, T0.plusSeconds(20), 1, T0.plusSeconds(32), "Microseconds", Distribution.ofValue(8));

    assertThat(store.aggregate(KEY, null, T0, T0.plusSeconds(30), T0.plusSeconds(21))).map(Distribution::sum)
        .contains(1.0);
    assertThat(store.aggregate(KEY, null, T0.plusMillis(1), T0.plusMillis(20_001), T0.plusSeconds(40)))
        .map(Distribution::sum).contains(14.0);
    assertThat(store.aggregate(KEY, "Microseconds", T0, T0.plusSeconds(20), T0.plusSeconds(40)))
        .map(Distribution::sum).contains(3.0);
    assertThat(store.aggregate(KEY, "Seconds", T0, T0.plusSeconds(30), T0.plusSeconds(40))).isEmpty();
    assertThat(store.units(KEY)).containsExactly("Microseconds", "Milliseconds");
    assertThat(store.datapointCount()).isEqualTo(4);
  }

  @Test
  void standardResolutionDatapointsAccumulateOnTheirMinute() {
    MetricStore store = new MetricStore();
    store.put(KEY, T0.plusSeconds(59), 60, T0, null, Distribution.ofValue(5));
    store.put(KEY, T0.plusSeconds(61), 60, T0, null, Distribution.ofValue(7));

    assertThat(store.aggregate(KEY, null, T0, T0.plusSeconds(1), T0)).map(Distribution::sum).contains(5.0);
    assertThat(store.metrics(T0.plusSeconds(60))).containsExactly(KEY);
    assertThat(store.metrics(T0.plusSeconds(61))).isEmpty();
  }
}
