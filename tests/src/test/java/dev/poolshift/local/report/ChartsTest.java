package dev.poolshift.local.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChartsTest {

  @Test
  void aMeasuredLineJoinsSixtySecondAndTenSecondPeriodsButBreaksAtAMissingPeriod() {
    List<ReportData.Point> pts = List.of(p(0), p(60), p(120), p(130), p(140), p(160), p(170), p(300), p(360));

    assertThat(Charts.joins(pts, 1)).as("60 s periods").isTrue();
    assertThat(Charts.joins(pts, 3)).as("60 s data, then enhanced 10 s").isTrue();
    assertThat(Charts.joins(pts, 5)).as("one 10 s period without invocations").isFalse();
    assertThat(Charts.joins(pts, 7)).as("two minutes without invocations").isFalse();
    assertThat(Charts.joins(pts, 8)).isTrue();
  }

  @Test
  void niceAxesCoverTheDataWithRoundTicks() {
    assertThat(Charts.YAxis.nice(17.5, "%", false)).satisfies(y -> {
      assertThat(y.max()).isEqualTo(20);
      assertThat(y.ticks()).containsExactly(0.0, 5.0, 10.0, 15.0, 20.0);
    });
    assertThat(Charts.YAxis.nice(4, "", true).ticks()).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
    assertThat(Charts.YAxis.nice(0, "ms", false).max()).isEqualTo(1);
  }

  @Test
  void metricsAreQueriedAtTenSecondsUnlessTheRunIsTooLongForOneCall() {
    assertThat(MetricSeries.period(1322.6)).isEqualTo(10);
    assertThat(MetricSeries.period(4 * 3600 - 100)).isEqualTo(10);
    assertThat(MetricSeries.period(5 * 3600)).isEqualTo(60);
    assertThat(MetricSeries.period(30 * 3600)).isEqualTo(120);
    assertThat(30 * 3600 / MetricSeries.period(30 * 3600)).isLessThanOrEqualTo(MetricSeries.MAX_DATAPOINTS - 2);
  }

  @Test
  void timeTicksAreRoundAndAtMostTwelve() {
    assertThat(new Svg(1322.6).tickSeconds()).isEqualTo(120);
    assertThat(new Svg(60).tickSeconds()).isEqualTo(5);
    assertThat(new Svg(6 * 3600).tickSeconds()).isEqualTo(1800);
  }

  private static ReportData.Point p(double t) {
    return new ReportData.Point(t, 1);
  }
}
