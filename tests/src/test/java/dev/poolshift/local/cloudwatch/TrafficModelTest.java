package dev.poolshift.local.cloudwatch;

import static dev.poolshift.local.cloudwatch.CloudWatchHarness.CANARY_V7;
import static dev.poolshift.local.cloudwatch.CloudWatchHarness.PRIMARY_V6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.poolshift.local.cloudwatch.TrafficScenario.LatencyProfile;
import dev.poolshift.local.cloudwatch.TrafficScenario.ModelBehaviour;
import dev.poolshift.local.cloudwatch.TrafficScenario.RequestRate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

class TrafficModelTest {
  private static final String ENDPOINT = "churn-prod";
  private final CloudWatchHarness h = new CloudWatchHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static TrafficScenario scenario(long seed, RequestRate rate, ModelBehaviour... behaviours) {
    return new TrafficScenario(seed, rate, Map.of(), ModelBehaviour.healthy(), List.of(behaviours));
  }

  private static List<ServingSlice> canary(String config, String canaryModel) {
    return List.of(new ServingSlice("primary", 0.9, "ml.g5.2xlarge", 2, PRIMARY_V6, config),
        new ServingSlice("canary", 0.1, "ml.g5.2xlarge", 1, canaryModel, config),
        new ServingSlice("canary", 0.1, "ml.g6.2xlarge", 1, canaryModel, config));
  }

  private static Dimension dim(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }

  private double sum(String metric, String stat, Dimension... dims) {
    GetMetricDataResponse r = h.client.getMetricData(b -> b.startTime(h.sim.start()).endTime(h.at("13:00:00"))
        .metricDataQueries(MetricDataQuery.builder().id("m").metricStat(s -> s.period(3600).stat(stat)
            .metric(x -> x.namespace("AWS/SageMaker").metricName(metric).dimensions(dims))).build()));
    return r.metricDataResults().get(0).values().stream().mapToDouble(Double::doubleValue).sum();
  }

  @Test
  void getMetricDataSumsMatchTheTrafficModelsTotals() {
    h.source.serve(ENDPOINT, canary("cfg-1", CANARY_V7));
    h.startTraffic(scenario(7, RequestRate.constant(3000),
        new ModelBehaviour(CANARY_V7, "ml.g6.2xlarge", 0.08, 0.03, new LatencyProfile(30, 120)),
        new ModelBehaviour(CANARY_V7, null, 0.01, 0.02, new LatencyProfile(25, 90))));
    h.runUntil(h.at("12:30:20"));
    h.traffic.stop();
    h.advance(Duration.ofMinutes(1));
    TrafficModel.Totals v6 = h.traffic.totals(ENDPOINT, PRIMARY_V6);
    TrafficModel.Totals v7 = h.traffic.totals(ENDPOINT, CANARY_V7);
    Dimension[] primary = {dim("EndpointName", ENDPOINT), dim("VariantName", "primary")};
    Dimension[] canary = {dim("EndpointName", ENDPOINT), dim("VariantName", "canary")};

    assertThat(sum("Invocations", "Sum", primary)).isEqualTo(v6.invocations());
    assertThat(sum("Invocations", "Sum", canary)).isEqualTo(v7.invocations());
    assertThat(sum("Invocation5XXErrors", "Sum", canary)).isEqualTo(v7.errors5xx());
    assertThat(sum("Invocation4XXErrors", "Sum", canary)).isEqualTo(v7.errors4xx());
    assertThat(sum("Invocation5XXErrors", "Sum", primary)).isZero();
    assertThat(sum("ModelLatency", "SampleCount", canary)).isEqualTo(v7.invocations());
    assertThat(sum("InvocationsPerInstance", "Sum", primary)).isCloseTo(v6.invocations() / 2.0, within(1e-6));
    double g5 = sum("Invocations", "Sum", dim("EndpointName", ENDPOINT), dim("VariantName", "canary"),
        dim("InstanceType", "ml.g5.2xlarge"));
    double g6 = sum("Invocations", "Sum", dim("EndpointName", ENDPOINT), dim("VariantName", "canary"),
        dim("InstanceType", "ml.g6.2xlarge"));
    assertThat(g5 + g6).isEqualTo(v7.invocations());
    // 30 min 20 s at 3000 rpm: 90% / 10% of ~91000 requests; one of two canary instances is a g6.
    assertThat(v6.invocations()).isCloseTo(81_900, within(1_200L));
    assertThat(v7.invocations()).isCloseTo(9_100, within(400L));
    assertThat(g6 / v7.invocations()).isCloseTo(0.5, within(0.03));
    double g6Errors = sum("Invocation5XXErrors", "Sum", dim("EndpointName", ENDPOINT), dim("VariantName", "canary"),
        dim("InstanceType", "ml.g6.2xlarge"));
    assertThat(g6Errors / g6).isCloseTo(0.08, within(0.015));
    assertThat(h.traffic.endpointTotals().get(ENDPOINT).invocations()).isEqualTo(v6.invocations() + v7.invocations());
  }

  @Test
  void publishesTheEndpointConfigDimensionOnceASecondConfigHasServedAndKeepsIt() {
    h.source.serve(ENDPOINT, canary("cfg-1", PRIMARY_V6));
    h.startTraffic(scenario(1, RequestRate.constant(600)));
    h.runUntil(h.at("12:05:00"));
    DimensionFilter byConfig = DimensionFilter.builder().name("EndpointConfigName").build();
    assertThat(h.client.listMetrics(b -> b.dimensions(byConfig)).metrics()).isEmpty();

    // Blue/green: the new fleet (cfg-2) takes the canary's traffic, then everything.
    h.source.serve(ENDPOINT, List.of(new ServingSlice("primary", 0.9, "ml.g5.2xlarge", 2, PRIMARY_V6, "cfg-1"),
        new ServingSlice("canary", 0.1, "ml.g6.2xlarge", 1, CANARY_V7, "cfg-2")));
    h.traffic.servingChanged(ENDPOINT);
    h.runUntil(h.at("12:10:00"));
    h.source.serve(ENDPOINT, List.of(new ServingSlice("primary", 1.0, "ml.g6.2xlarge", 2, CANARY_V7, "cfg-2")));
    h.traffic.servingChanged(ENDPOINT);
    h.runUntil(h.at("12:15:03"));

    assertThat(h.client.listMetrics(b -> b.metricName("Invocations").dimensions(byConfig)).metrics())
        .extracting(m -> m.dimensions().stream().filter(d -> d.name().equals("EndpointConfigName")).findFirst()
            .orElseThrow().value() + "/" + m.dimensions().stream().filter(d -> d.name().equals("VariantName"))
            .findFirst().orElseThrow().value())
        .containsExactlyInAnyOrder("cfg-1/primary", "cfg-2/canary", "cfg-2/primary");
    double cfg2 = sum("Invocations", "Sum", dim("EndpointName", ENDPOINT), dim("VariantName", "primary"),
        dim("EndpointConfigName", "cfg-2"));
    assertThat(cfg2).isCloseTo(600 * 5, within(250.0));
  }

  @Test
  void publishesTheInstanceTypeDimensionForSingleTypeVariantsToo() {
    h.source.serve(ENDPOINT, List.of(new ServingSlice("primary", 1.0, "ml.g5.2xlarge", 2, PRIMARY_V6, "cfg-1")));
    h.startTraffic(scenario(1, RequestRate.constant(600)));
    h.runUntil(h.at("12:02:00"));

    assertThat(h.client.listMetrics(b -> b.namespace("AWS/SageMaker").metricName("ModelLatency")).metrics())
        .extracting(m -> m.dimensions().size()).containsExactlyInAnyOrder(2, 3);
  }

  @Test
  void goesIdleWhenNothingServesAndResumesWhenAnEndpointStartsServing() {
    h.startTraffic(scenario(1, RequestRate.constant(600)));

    h.sim.runUntilIdle(h.at("13:00:00"));
    assertThat(h.sim.now()).isEqualTo(h.sim.start());
    assertThat(h.sim.pendingTimers()).isZero();

    h.source.serve(ENDPOINT, canary("cfg-1", PRIMARY_V6));
    h.traffic.servingChanged(ENDPOINT);
    h.runUntil(h.at("12:03:00"));
    h.source.remove(ENDPOINT);
    h.traffic.servingChanged(ENDPOINT);
    h.sim.runUntilIdle(h.at("13:00:00"));

    // Traffic from 12:00 to 12:03; the last period is published at its boundary, then nothing is left.
    assertThat(h.sim.now()).isEqualTo(h.at("12:04:00"));
    assertThat(h.sim.pendingTimers()).isZero();
    assertThat(h.traffic.endpointTotals().get(ENDPOINT).invocations()).isCloseTo(1800, within(150L));
    assertThat(h.traffic.periodsPublished()).isEqualTo(3);
  }

  @Test
  void servingChangedAttributesTrafficFromThatInstantOtherwiseFromTheNextBoundary() {
    ModelBehaviour broken = new ModelBehaviour(CANARY_V7, null, 1.0, 0, new LatencyProfile(20, 60));
    for (String endpoint : List.of("told", "untold")) {
      h.source.serve(endpoint, List.of(new ServingSlice("primary", 1.0, "ml.g5.2xlarge", 1, PRIMARY_V6, "c")));
    }
    h.startTraffic(scenario(3, RequestRate.constant(6000), broken));
    h.runUntil(h.at("12:00:30"));

    for (String endpoint : List.of("told", "untold")) {
      h.source.serve(endpoint, List.of(new ServingSlice("primary", 1.0, "ml.g5.2xlarge", 1, CANARY_V7, "c")));
    }
    h.traffic.servingChanged("told");
    h.runUntil(h.at("12:02:00"));

    assertThat(h.traffic.firstErrorAt("told", CANARY_V7)).hasValueSatisfying(t ->
        assertThat(t).isBetween(h.at("12:00:30"), h.at("12:00:31")));
    assertThat(h.traffic.firstErrorAt("untold", CANARY_V7)).hasValueSatisfying(t ->
        assertThat(t).isBetween(h.at("12:01:00"), h.at("12:01:01")));
    assertThat(h.traffic.totals("told", PRIMARY_V6).invocations()).isCloseTo(3000, within(250L));
    assertThat(h.traffic.totals("untold", PRIMARY_V6).invocations()).isCloseTo(6000, within(350L));
    assertThat(h.traffic.firstErrorAt("told", PRIMARY_V6)).isEmpty();
  }

  @Test
  void theSameSeedAndServingHistoryGiveTheSameMetrics() {
    List<TrafficModel.Totals> runs = new java.util.ArrayList<>();
    for (long seed : new long[] {11, 11, 12}) {
      try (CloudWatchHarness run = new CloudWatchHarness()) {
        run.source.serve(ENDPOINT, canary("cfg-1", CANARY_V7));
        run.startTraffic(scenario(seed, RequestRate.constant(1200),
            new ModelBehaviour(CANARY_V7, null, 0.05, 0.01, new LatencyProfile(20, 60))));
        run.runUntil(run.at("12:20:00"));
        runs.add(run.traffic.totals(ENDPOINT, CANARY_V7));
      }
    }

    assertThat(runs.get(0)).isEqualTo(runs.get(1));
    assertThat(runs.get(2)).isNotEqualTo(runs.get(0));
  }

  @Test
  void piecewiseRatesFollowTheScenarioTimeline() {
    RequestRate rate = new RequestRate(List.of(new RequestRate.Step(Duration.ZERO, 600),
        new RequestRate.Step(Duration.ofMinutes(5), 0), new RequestRate.Step(Duration.ofMinutes(10), 1200)));
    h.source.serve(ENDPOINT, List.of(new ServingSlice("primary", 1.0, "ml.g5.2xlarge", 1, PRIMARY_V6, "c")));
    h.startTraffic(scenario(5, rate));
    // The period ending at 12:15:00 becomes visible 2 s later.
    h.runUntil(h.at("12:15:02"));

    GetMetricDataResponse r = h.client.getMetricData(b -> b.startTime(h.sim.start()).endTime(h.at("12:15:00"))
        .metricDataQueries(MetricDataQuery.builder().id("m").metricStat(s -> s.period(300).stat("Sum")
            .metric(x -> x.namespace("AWS/SageMaker").metricName("Invocations").dimensions(dim("EndpointName", ENDPOINT),
                dim("VariantName", "primary")))).build()).scanBy("TimestampAscending"));

    // 12:05-12:10 has no requests, so no datapoint at all.
    assertThat(r.metricDataResults().get(0).timestamps()).containsExactly(h.sim.start(), h.at("12:10:00"));
    assertThat(r.metricDataResults().get(0).values().get(0)).isCloseTo(3000, within(250.0));
    assertThat(r.metricDataResults().get(0).values().get(1)).isCloseTo(6000, within(350.0));
  }

  @Test
  void aTwoHourRolloutAtTenSecondPeriodsRunsInWellUnderASecond() {
    // A short run first, so the measurement is the model's cost rather than the JIT's warm-up.
    try (CloudWatchHarness warmUp = new CloudWatchHarness()) {
      rolloutAtTenSecondPeriods(warmUp, Duration.ofMinutes(20));
    }

    Duration wall = rolloutAtTenSecondPeriods(h, Duration.ofHours(2));

    System.out.printf("2 h of virtual time at 10 s periods: %d ms wall, %d periods, %d datapoints, %d evaluations%n",
        wall.toMillis(), h.traffic.periodsPublished(), h.cloudWatch.metrics().datapointCount(),
        h.cloudWatch.evaluations());
    assertThat(wall).isLessThan(Duration.ofSeconds(1));
    assertThat(h.traffic.periodsPublished()).isEqualTo(720);
    assertThat(h.cloudWatch.evaluations()).isEqualTo(3 * 720);
    assertThat(h.cloudWatch.alarm("g6-errors").orElseThrow().state()).isEqualTo(AlarmStateValue.ALARM);
    assertThat(h.cloudWatch.alarm("latency-p50").orElseThrow().state()).isEqualTo(AlarmStateValue.OK);
    assertThat(h.sim.now()).isEqualTo(h.at("14:00:00"));
  }

  /**
   * 450 requests/s on a 90/10 canary with 10 s enhanced metrics and three 10 s alarms (p99 and p50
   * latency, per-type 5xx): 6 publish periods and 18 evaluations per virtual minute. Returns the
   * wall time of running {@code length}.
   */
  private static Duration rolloutAtTenSecondPeriods(CloudWatchHarness run, Duration length) {
    run.source.serve(ENDPOINT, canary("cfg-1", CANARY_V7));
    run.source.publishSeconds.put(ENDPOINT, 10);
    run.startTraffic(scenario(9, RequestRate.constant(27_000),
        new ModelBehaviour(CANARY_V7, "ml.g6.2xlarge", 0.2, 0, new LatencyProfile(30, 150))));
    Dimension[] canaryDims = {dim("EndpointName", ENDPOINT), dim("VariantName", "canary")};
    for (String stat : List.of("p99", "p50")) {
      run.client.putMetricAlarm(b -> b.alarmName("latency-" + stat).namespace("AWS/SageMaker")
          .metricName("ModelLatency").dimensions(canaryDims).extendedStatistic(stat).period(10).evaluationPeriods(3)
          .threshold(500_000.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    }
    run.client.putMetricAlarm(b -> b.alarmName("g6-errors").namespace("AWS/SageMaker")
        .metricName("Invocation5XXErrors").dimensions(dim("EndpointName", ENDPOINT), dim("VariantName", "canary"),
            dim("InstanceType", "ml.g6.2xlarge"))
        .statistic("Average").period(10).evaluationPeriods(3).datapointsToAlarm(2).threshold(0.1)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    long started = System.nanoTime();
    run.advance(length);
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
