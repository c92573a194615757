package dev.poolshift.local.cloudwatch;

import static dev.poolshift.local.cloudwatch.CloudWatchHarness.CANARY_V7;
import static dev.poolshift.local.cloudwatch.CloudWatchHarness.PRIMARY_V6;
import static dev.poolshift.local.cloudwatch.CloudWatchHarness.canaryLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.cloudwatch.TrafficScenario.LatencyProfile;
import dev.poolshift.local.cloudwatch.TrafficScenario.ModelBehaviour;
import dev.poolshift.local.cloudwatch.TrafficScenario.RequestRate;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Canary guardrails end to end: the traffic model publishes SageMaker metrics for a 90/10
 * canary, alarms created through the real SDK client evaluate them on virtual time, and their
 * state changes come out as EventBridge events.
 */
class CanaryAlarmsTest {
  private static final String ENDPOINT = "churn-prod";
  private static final String CONFIG = "churn-prod-config-2";
  private final CloudWatchHarness h = new CloudWatchHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static TrafficScenario scenario(double requestsPerMinute, ModelBehaviour... behaviours) {
    return new TrafficScenario(42, RequestRate.constant(requestsPerMinute), Map.of(), ModelBehaviour.healthy(),
        List.of(behaviours));
  }

  private static ServingSlice canary(String type, int count, String model) {
    return new ServingSlice("canary", 0.1, type, count, model, CONFIG);
  }

  private static Dimension dim(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }

  /** A 5xx-rate (%) alarm in the shape of AWS's recipe on the series with {@code dims}. */
  private void rateAlarm(String name, int period, int n, int m, double threshold, String treatMissingData,
      Dimension... dims) {
    h.client.putMetricAlarm(b -> b.alarmName(name).alarmDescription("5xx rate (%) for " + name)
        .metrics(MetricDataQuery.builder().id("rate").label("5xx rate %").returnData(true)
                .expression("IF(inv > 0, 100 * err / inv, 0)").build(),
            MetricDataQuery.builder().id("err").returnData(false).metricStat(s -> s.period(period).stat("Sum")
                .metric(x -> x.namespace("AWS/SageMaker").metricName("Invocation5XXErrors").dimensions(dims))).build(),
            MetricDataQuery.builder().id("inv").returnData(false).metricStat(s -> s.period(period).stat("Sum")
                .metric(x -> x.namespace("AWS/SageMaker").metricName("Invocations").dimensions(dims))).build())
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD).threshold(threshold).evaluationPeriods(n)
        .datapointsToAlarm(m).treatMissingData(treatMissingData));
  }

  private static Dimension[] variant(String endpoint, String variant) {
    return new Dimension[] {dim("EndpointName", endpoint), dim("VariantName", variant)};
  }

  private AlarmStateValue state(String alarm) {
    return h.cloudWatch.alarm(alarm).orElseThrow().state();
  }

  @Test
  void fiveXxRateAlarmOnTheCanaryAlarmsTwoPeriodsAfterABadModelStartsServingAndEmitsOneEvent() {
    h.source.serve(ENDPOINT, canaryLayout(CONFIG, canary("ml.g5.2xlarge", 1, PRIMARY_V6),
        canary("ml.g6.2xlarge", 1, PRIMARY_V6)));
    h.startTraffic(scenario(6000, new ModelBehaviour(CANARY_V7, null, 0.15, 0, new LatencyProfile(20, 60))));
    rateAlarm("sm-churn-prod-5xx-rate", 60, 3, 2, 2.0, "notBreaching", variant(ENDPOINT, "canary"));
    h.runUntil(h.at("12:10:00"));
    assertThat(state("sm-churn-prod-5xx-rate")).isEqualTo(AlarmStateValue.OK);
    h.events.clear();

    h.source.serve(ENDPOINT, canaryLayout(CONFIG, canary("ml.g5.2xlarge", 1, CANARY_V7),
        canary("ml.g6.2xlarge", 1, CANARY_V7)));
    h.traffic.servingChanged(ENDPOINT);
    h.runUntil(h.at("12:20:00"));

    // Periods 12:10 and 12:11 breach; the evaluation at 12:12:05 sees 2 of the last 3 (M = 2).
    assertThat(h.cloudWatch.transitions()).last().satisfies(t -> {
      assertThat(t.to()).isEqualTo(AlarmStateValue.ALARM);
      assertThat(t.at()).isEqualTo(h.at("12:12:05"));
    });
    assertThat(h.traffic.firstErrorAt(ENDPOINT, CANARY_V7)).hasValueSatisfying(first ->
        assertThat(first).isBetween(h.at("12:10:00"), h.at("12:10:10")));
    assertThat(h.events).hasSize(1);
    var event = h.events.get(0);
    assertThat(event.source()).isEqualTo("aws.cloudwatch");
    assertThat(event.detailType()).isEqualTo("CloudWatch Alarm State Change");
    assertThat(event.resources()).containsExactly("arn:aws:cloudwatch:us-east-1:111122223333:alarm:sm-churn-prod-5xx-rate");
    JsonNode detail = event.detail();
    assertThat(detail.get("alarmName").asText()).isEqualTo("sm-churn-prod-5xx-rate");
    assertThat(detail.at("/state/value").asText()).isEqualTo("ALARM");
    assertThat(detail.at("/state/timestamp").asText()).isEqualTo("2026-06-01T12:12:05.000+0000");
    assertThat(detail.at("/state/reason").asText())
        .matches("Threshold Crossed: 2 out of the last 3 datapoints \\[[0-9.]+ \\(01/06/26 12:11:00\\), [0-9.]+ "
            + "\\(01/06/26 12:10:00\\)\\] were greater than the threshold \\(2\\.0\\)\\.");
    assertThat(detail.at("/state/reasonData").isTextual()).isTrue();
    JsonNode reasonData = LocalJson.parse(detail.at("/state/reasonData").asText());
    assertThat(reasonData.get("version").asText()).isEqualTo("1.0");
    assertThat(reasonData.get("queryDate").asText()).isEqualTo("2026-06-01T12:12:05.000+0000");
    assertThat(reasonData.get("period").asInt()).isEqualTo(60);
    assertThat(reasonData.get("threshold").asDouble()).isEqualTo(2.0);
    assertThat(reasonData.get("recentDatapoints")).hasSize(3);
    assertThat(reasonData.get("recentDatapoints").get(2).asDouble()).isBetween(10.0, 20.0);
    assertThat(detail.at("/previousState/value").asText()).isEqualTo("OK");
    // The alarm went OK at its first evaluation, before any period with traffic had ended.
    assertThat(detail.at("/previousState/reason").asText()).isEqualTo("Threshold Crossed: no datapoints were "
        + "received for 3 periods and 3 missing datapoints were treated as [NonBreaching].");
    assertThat(detail.at("/previousState/timestamp").asText()).isEqualTo("2026-06-01T12:00:05.000+0000");
    assertThat(detail.at("/configuration/description").asText()).isEqualTo("5xx rate (%) for sm-churn-prod-5xx-rate");
    JsonNode metrics = detail.at("/configuration/metrics");
    assertThat(metrics).hasSize(3);
    assertThat(metrics.get(0)).isEqualTo(LocalJson.parse("""
        {"id": "rate", "expression": "IF(inv > 0, 100 * err / inv, 0)", "label": "5xx rate %", "returnData": true}"""));
    assertThat(metrics.get(1)).isEqualTo(LocalJson.parse("""
        {"id": "err", "metricStat": {"metric": {"namespace": "AWS/SageMaker", "name": "Invocation5XXErrors",
          "dimensions": {"EndpointName": "churn-prod", "VariantName": "canary"}}, "period": 60, "stat": "Sum"},
         "returnData": false}"""));
  }

  @Test
  void perInstanceTypeAlarmCatchesABrokenFallbackTypeWhileTheVariantAggregateStaysUnderThreshold() {
    // Canary: three healthy g5 and one g6 on which v7 fails 20% of requests (5% of the variant).
    h.source.serve(ENDPOINT, canaryLayout(CONFIG, canary("ml.g5.2xlarge", 3, CANARY_V7),
        canary("ml.g6.2xlarge", 1, CANARY_V7)));
    h.startTraffic(scenario(6000,
        new ModelBehaviour(CANARY_V7, "ml.g6.2xlarge", 0.20, 0, new LatencyProfile(25, 80)),
        new ModelBehaviour(CANARY_V7, null, 0, 0, new LatencyProfile(20, 60))));
    rateAlarm("canary-5xx", 60, 3, 2, 10.0, "notBreaching", variant(ENDPOINT, "canary"));
    rateAlarm("canary-g6-5xx", 60, 3, 2, 10.0, "notBreaching", dim("EndpointName", ENDPOINT),
        dim("VariantName", "canary"), dim("InstanceType", "ml.g6.2xlarge"));
    rateAlarm("canary-g5-5xx", 60, 3, 2, 10.0, "notBreaching", dim("EndpointName", ENDPOINT),
        dim("VariantName", "canary"), dim("InstanceType", "ml.g5.2xlarge"));

    h.runUntil(h.at("12:15:00"));

    assertThat(state("canary-g6-5xx")).isEqualTo(AlarmStateValue.ALARM);
    assertThat(state("canary-5xx")).isEqualTo(AlarmStateValue.OK);
    assertThat(state("canary-g5-5xx")).isEqualTo(AlarmStateValue.OK);
    assertThat(h.alarmEvents("canary-5xx")).extracting(e -> e.at("/state/value").asText()).containsExactly("OK");
    var canary = h.client.getMetricData(b -> b.startTime(h.sim.start()).endTime(h.at("12:13:00"))
        .metricDataQueries(MetricDataQuery.builder().id("rate").metricStat(s -> s.period(780).stat("Average")
            .metric(x -> x.namespace("AWS/SageMaker").metricName("Invocation5XXErrors")
                .dimensions(variant(ENDPOINT, "canary")))).build()));
    // Average of a 0/1-per-request metric is the error fraction: about 0.20 * 1/4 of the variant.
    assertThat(canary.metricDataResults().get(0).values()).singleElement()
        .satisfies(v -> assertThat(v).isCloseTo(0.05, within(0.01)));
  }

  @Test
  void p99LatencyAlarmFiresOnTheSlowCanaryButNotOnThePrimary() {
    h.source.serve(ENDPOINT, canaryLayout(CONFIG, canary("ml.g5.2xlarge", 2, CANARY_V7)));
    h.startTraffic(scenario(6000, new ModelBehaviour(CANARY_V7, null, 0, 0, new LatencyProfile(40, 900)),
        new ModelBehaviour(PRIMARY_V6, null, 0, 0, new LatencyProfile(20, 68))));
    for (String variant : List.of("primary", "canary")) {
      h.client.putMetricAlarm(b -> b.alarmName(variant + "-p99").namespace("AWS/SageMaker").metricName("ModelLatency")
          .dimensions(variant(ENDPOINT, variant)).extendedStatistic("p99").period(60).evaluationPeriods(5)
          .datapointsToAlarm(3).threshold(500000.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
          .treatMissingData("notBreaching"));
    }

    h.runUntil(h.at("12:10:00"));

    assertThat(state("canary-p99")).isEqualTo(AlarmStateValue.ALARM);
    assertThat(state("primary-p99")).isEqualTo(AlarmStateValue.OK);
    // 3 breaching minutes are needed: 12:00, 12:01, 12:02, seen at 12:03:05.
    assertThat(h.cloudWatch.transitions()).filteredOn(t -> t.alarmName().equals("canary-p99"))
        .extracting(AlarmTransition::to, AlarmTransition::at)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(AlarmStateValue.OK, h.at("12:00:05")),
            org.assertj.core.groups.Tuple.tuple(AlarmStateValue.ALARM, h.at("12:03:05")));
    JsonNode reasonData = LocalJson.parse(h.cloudWatch.alarm("canary-p99").orElseThrow().stateReasonData());
    assertThat(reasonData.get("extendedStatistic").asText()).isEqualTo("p99");
    assertThat(reasonData.at("/evaluatedDatapoints/0/sampleCount").asDouble()).isBetween(500.0, 700.0);
    var latency = h.client.getMetricData(b -> b.startTime(h.sim.start()).endTime(h.at("12:09:00"))
        .metricDataQueries(List.of("p50", "p99").stream().map(stat -> MetricDataQuery.builder().id(stat)
            .metricStat(s -> s.period(540).stat(stat).unit("Microseconds").metric(x -> x.namespace("AWS/SageMaker")
                .metricName("ModelLatency").dimensions(variant(ENDPOINT, "canary")))).build()).toList()));
    assertThat(latency.metricDataResults().get(0).values().get(0)).isCloseTo(40_000, within(2_000.0));
    assertThat(latency.metricDataResults().get(1).values().get(0)).isCloseTo(900_000, within(135_000.0));
  }

  @Test
  void withoutTrafficMissingDataKeepsInsufficientDataNotBreachingGoesOkBreachingAlarms() {
    h.source.serve(ENDPOINT, canaryLayout(CONFIG, canary("ml.g5.2xlarge", 1, CANARY_V7)));
    h.startTraffic(scenario(0));
    for (String treatment : List.of("missing", "notBreaching", "breaching", "ignore")) {
      rateAlarm("idle-" + treatment, 60, 3, 2, 2.0, treatment, variant(ENDPOINT, "canary"));
    }

    h.runUntil(h.at("12:10:00"));

    assertThat(state("idle-missing")).isEqualTo(AlarmStateValue.INSUFFICIENT_DATA);
    assertThat(state("idle-ignore")).isEqualTo(AlarmStateValue.INSUFFICIENT_DATA);
    assertThat(state("idle-notBreaching")).isEqualTo(AlarmStateValue.OK);
    assertThat(state("idle-breaching")).isEqualTo(AlarmStateValue.ALARM);
    assertThat(h.alarmEvents("idle-missing")).isEmpty();
    assertThat(h.cloudWatch.alarm("idle-notBreaching").orElseThrow().stateReason()).isEqualTo(
        "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as "
            + "[NonBreaching].");
    assertThat(h.cloudWatch.alarm("idle-missing").orElseThrow().evaluations()).isEqualTo(10);
    assertThat(h.cloudWatch.metrics().datapointCount()).isZero();
  }

  @Test
  void alarmOnAMetricThatAppearsLaterLeavesInsufficientDataOnceDataArrives() {
    h.client.putMetricAlarm(b -> b.alarmName("later").namespace("Rehearsal").metricName("Errors").statistic("Sum")
        .period(60).evaluationPeriods(1).threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    h.runUntil(h.at("12:05:00"));
    assertThat(state("later")).isEqualTo(AlarmStateValue.INSUFFICIENT_DATA);

    h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(MetricDatum.builder().metricName("Errors")
        .value(9.0).build()));
    h.runUntil(h.at("12:06:06"));

    assertThat(h.alarmEvents("later")).singleElement().satisfies(e -> {
      assertThat(e.at("/previousState/value").asText()).isEqualTo("INSUFFICIENT_DATA");
      assertThat(e.at("/previousState/reason").asText()).isEqualTo("Unchecked: Initial alarm creation");
      assertThat(e.at("/state/value").asText()).isEqualTo("ALARM");
      assertThat(e.at("/state/reason").asText()).isEqualTo(
          "Threshold Crossed: 1 datapoint [9.0 (01/06/26 12:05:00)] was greater than the threshold (5.0).");
      assertThat(e.at("/configuration/metrics/0/metricStat/metric/dimensions").isObject()).isTrue();
      assertThat(e.at("/configuration/metrics/0/metricStat/stat").asText()).isEqualTo("Sum");
      assertThat(e.at("/configuration/metrics/0/returnData").asBoolean()).isTrue();
      assertThat(e.at("/configuration").has("description")).isFalse();
    });
  }

  @Test
  void datapointsToAlarmNeedsMBreachingOutOfTheLastNPeriods() {
    // Minutes 12:00..12:04 breach, pass, breach, pass, breach (threshold 5).
    double[] values = {9, 1, 9, 1, 9};
    List<MetricDatum> data = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      data.add(MetricDatum.builder().metricName("Errors").timestamp(h.sim.start().plusSeconds(60L * i + 30))
          .value(values[i]).build());
    }
    h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(data));
    for (int m : new int[] {3, 4}) {
      h.client.putMetricAlarm(b -> b.alarmName(m + "-of-5").namespace("Rehearsal").metricName("Errors")
          .statistic("Sum").period(60).evaluationPeriods(5).datapointsToAlarm(m).threshold(5.0)
          .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    }

    h.runUntil(h.at("12:08:00"));

    // 12:01:05 sees [9]: one breach, too few to decide. 12:02:05 sees [9, 1]: a good datapoint, OK.
    // 12:05:05 sees all five: 3 breaching -> ALARM for 3-of-5, still OK for 4-of-5.
    assertThat(h.cloudWatch.transitions()).filteredOn(t -> t.alarmName().equals("3-of-5"))
        .extracting(AlarmTransition::to, AlarmTransition::at)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(AlarmStateValue.OK, h.at("12:02:05")),
            org.assertj.core.groups.Tuple.tuple(AlarmStateValue.ALARM, h.at("12:05:05")));
    assertThat(state("4-of-5")).isEqualTo(AlarmStateValue.OK);
    assertThat(h.cloudWatch.alarm("3-of-5").orElseThrow().stateReason()).isEqualTo("Threshold Crossed: 3 out of the "
        + "last 5 datapoints [9.0 (01/06/26 12:04:00), 9.0 (01/06/26 12:02:00), 9.0 (01/06/26 12:00:00)] were greater "
        + "than the threshold (5.0).");
    // After the data stops, the alarm keeps evaluating the last real datapoints of its range.
    assertThat(h.client.describeAlarms(b -> b.alarmNames("3-of-5")).metricAlarms().get(0).stateValue())
        .isEqualTo(StateValue.ALARM);
  }

  @Test
  void enhancedTenSecondMetricsDetectABadCanaryMuchFasterThanOneMinuteMetrics() {
    for (String endpoint : List.of("fast", "slow")) {
      h.source.serve(endpoint, List.of(new ServingSlice("primary", 0.9, "ml.g5.2xlarge", 2, PRIMARY_V6, "c1"),
          new ServingSlice("canary", 0.1, "ml.g6.2xlarge", 1, PRIMARY_V6, "c1")));
    }
    h.source.publishSeconds.put("fast", 10);
    h.startTraffic(scenario(6000, new ModelBehaviour(CANARY_V7, null, 0.15, 0, new LatencyProfile(20, 60))));
    rateAlarm("fast-5xx", 10, 3, 2, 2.0, "notBreaching", variant("fast", "canary"));
    rateAlarm("slow-5xx", 60, 3, 2, 2.0, "notBreaching", variant("slow", "canary"));
    h.runUntil(h.at("12:10:00"));
    Instant badFrom = h.sim.now();
    for (String endpoint : List.of("fast", "slow")) {
      h.source.serve(endpoint, List.of(new ServingSlice("primary", 0.9, "ml.g5.2xlarge", 2, PRIMARY_V6, "c1"),
          new ServingSlice("canary", 0.1, "ml.g6.2xlarge", 1, CANARY_V7, "c1")));
      h.traffic.servingChanged(endpoint);
    }

    h.runUntil(h.at("12:20:00"));

    Duration fast = detection("fast-5xx", badFrom);
    Duration slow = detection("slow-5xx", badFrom);
    // Two 10 s periods + 5 s evaluation lag vs two minutes + 5 s: 25 s vs 125 s.
    assertThat(fast).isEqualTo(Duration.ofSeconds(25));
    assertThat(slow).isEqualTo(Duration.ofSeconds(125));
    assertThat((double) slow.toMillis() / fast.toMillis()).isGreaterThanOrEqualTo(4.0);
  }

  private Duration detection(String alarm, Instant badFrom) {
    AlarmTransition t = h.cloudWatch.transitions().stream()
        .filter(x -> x.alarmName().equals(alarm) && x.to() == AlarmStateValue.ALARM).findFirst().orElseThrow();
    return Duration.between(badFrom, t.at());
  }
}
