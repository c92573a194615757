package dev.poolshift.local.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/** The CloudWatch Query-protocol API, driven by the real SDK 2.40.2 client over loopback. */
class CloudWatchServiceTest {
  private final CloudWatchHarness h = new CloudWatchHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static MetricDataQuery metric(String id, String name, String stat, int period, boolean returnData,
      Dimension... dims) {
    return MetricDataQuery.builder().id(id).returnData(returnData).metricStat(s -> s.period(period).stat(stat)
        .metric(m -> m.namespace("AWS/SageMaker").metricName(name).dimensions(dims))).build();
  }

  private static Dimension dim(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }

  private static final Dimension[] CANARY = {dim("EndpointName", "churn-prod"), dim("VariantName", "canary")};

  /** AWS's recipe: 5xx rate (%) of the canary variant, 2 of 3 minutes above 2%. */
  private static PutMetricAlarmRequest.Builder rateAlarm(PutMetricAlarmRequest.Builder b, String name) {
    return b.alarmName(name).alarmDescription("5xx rate (%) for churn-prod/canary")
        .metrics(metric("err", "Invocation5XXErrors", "Sum", 60, false, CANARY),
            metric("inv", "Invocations", "Sum", 60, false, CANARY),
            MetricDataQuery.builder().id("rate").label("5xx rate %").returnData(true)
                .expression("IF(inv > 0, 100 * err / inv, 0)").build())
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD).threshold(2.0).evaluationPeriods(3)
        .datapointsToAlarm(2).treatMissingData("notBreaching");
  }

  private AwsServiceException rejected(Consumer<PutMetricAlarmRequest.Builder> request) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> h.client.putMetricAlarm(request));
    assertThat(t).isInstanceOf(AwsServiceException.class);
    return (AwsServiceException) t;
  }

  @Test
  void putMetricAlarmRejectsInvalidAlarmsWithCloudWatchsErrors() {
    AwsServiceException period = rejected(b -> b.alarmName("a").namespace("AWS/SageMaker").metricName("Invocations")
        .statistic("Sum").period(45).evaluationPeriods(1).threshold(1.0).comparisonOperator("GreaterThanThreshold"));
    assertThat(period.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    assertThat(period.statusCode()).isEqualTo(400);
    assertThat(period.awsErrorDetails().errorMessage()).isEqualTo("Period must be 10, 20, 30 or a multiple of 60");

    assertThat(rejected(b -> rateAlarm(b, "a").metrics(metric("err", "Invocation5XXErrors", "Sum", 60, true, CANARY),
        MetricDataQuery.builder().id("rate").expression("err * 2").build())).awsErrorDetails().errorMessage())
        .isEqualTo("Exactly one element of the metrics list should return data.");
    assertThat(rejected(b -> rateAlarm(b, "a").statistic("Sum")).awsErrorDetails().errorMessage())
        .isEqualTo("Statistic should not be set if list of Metrics is set.");
    assertThat(rejected(b -> rateAlarm(b, "a").datapointsToAlarm(4)).awsErrorDetails().errorMessage())
        .isEqualTo("DatapointsToAlarm must be less than or equal to EvaluationPeriods");
    assertThat(rejected(b -> rateAlarm(b, "a").metrics(metric("Err", "Invocation5XXErrors", "Sum", 60, true, CANARY)))
        .awsErrorDetails().errorMessage()).contains("Metrics.member.1.Id").contains("lowercase letter");
    AwsServiceException function = rejected(b -> rateAlarm(b, "a").metrics(
        metric("err", "Invocation5XXErrors", "Sum", 60, false, CANARY),
        MetricDataQuery.builder().id("rate").expression("RATE(err)").build()));
    assertThat(function.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    assertThat(function.awsErrorDetails().errorMessage())
        .startsWith("Error in expression rate: unsupported function 'RATE'");
    assertThat(rejected(b -> rateAlarm(b, "a").metrics(metric("err", "Invocation5XXErrors", "Sum", 60, false, CANARY),
        MetricDataQuery.builder().id("rate").expression("100 * err / total").build())).awsErrorDetails().errorMessage())
        .contains("unrecognized metric id 'total'");
    assertThat(rejected(b -> rateAlarm(b, null)).awsErrorDetails().errorMessage()).isEqualTo(
        "1 validation error detected: Value null at 'alarmName' failed to satisfy constraint: Member must not be null");
    assertThat(rejected(b -> rateAlarm(b, "a").treatMissingData("sometimes")).awsErrorDetails().errorMessage())
        .contains("TreatMissingData");
    assertThat(rejected(b -> b.alarmName("a").namespace("AWS/SageMaker").metricName("Invocations").statistic("Sum")
        .period(60).evaluationPeriods(1441).threshold(1.0).comparisonOperator("GreaterThanThreshold"))
        .awsErrorDetails().errorMessage()).contains("one day");
    assertThat(h.cloudWatch.alarms()).isEmpty();
  }

  @Test
  void describeAlarmsReturnsTheDefinitionAndStateAndFiltersAndPages() {
    h.client.putMetricAlarm(b -> rateAlarm(b, "sm-churn-prod-5xx-rate"));
    h.client.putMetricAlarm(b -> b.alarmName("sm-churn-prod-p99").namespace("AWS/SageMaker").metricName("ModelLatency")
        .dimensions(CANARY).extendedStatistic("p99").period(60).evaluationPeriods(5).datapointsToAlarm(3)
        .threshold(500000.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .treatMissingData("notBreaching").alarmActions("arn:aws:sns:us-east-1:111122223333:pager"));
    h.client.putMetricAlarm(b -> rateAlarm(b, "other-5xx"));

    DescribeAlarmsResponse first = h.client.describeAlarms(b -> b.alarmNamePrefix("sm-churn-").maxRecords(1));
    DescribeAlarmsResponse second = h.client.describeAlarms(b -> b.alarmNamePrefix("sm-churn-").maxRecords(1)
        .nextToken(first.nextToken()));

    assertThat(first.metricAlarms()).extracting(MetricAlarm::alarmName).containsExactly("sm-churn-prod-5xx-rate");
    assertThat(second.metricAlarms()).extracting(MetricAlarm::alarmName).containsExactly("sm-churn-prod-p99");
    assertThat(second.nextToken()).isNull();
    MetricAlarm rate = first.metricAlarms().get(0);
    assertThat(rate.alarmArn()).isEqualTo("arn:aws:cloudwatch:us-east-1:111122223333:alarm:sm-churn-prod-5xx-rate");
    assertThat(rate.stateValue()).isEqualTo(StateValue.INSUFFICIENT_DATA);
    assertThat(rate.stateReason()).isEqualTo("Unchecked: Initial alarm creation");
    assertThat(rate.stateUpdatedTimestamp()).isEqualTo(h.sim.start());
    assertThat(rate.metrics()).extracting(MetricDataQuery::id).containsExactly("err", "inv", "rate");
    assertThat(rate.metrics().get(0).metricStat().metric().dimensions()).containsExactly(CANARY);
    assertThat(rate.metrics().get(2).expression()).isEqualTo("IF(inv > 0, 100 * err / inv, 0)");
    assertThat(rate.metrics().get(2).label()).isEqualTo("5xx rate %");
    assertThat(rate.threshold()).isEqualTo(2.0);
    assertThat(rate.datapointsToAlarm()).isEqualTo(2);
    assertThat(rate.comparisonOperator()).isEqualTo(ComparisonOperator.GREATER_THAN_THRESHOLD);
    MetricAlarm p99 = second.metricAlarms().get(0);
    assertThat(p99.extendedStatistic()).isEqualTo("p99");
    assertThat(p99.dimensions()).containsExactly(CANARY);
    assertThat(p99.alarmActions()).containsExactly("arn:aws:sns:us-east-1:111122223333:pager");
    assertThat(h.client.describeAlarms(b -> b.alarmNames("other-5xx", "missing")).metricAlarms())
        .extracting(MetricAlarm::alarmName).containsExactly("other-5xx");
    assertThat(h.client.describeAlarms(b -> b.stateValue(StateValue.ALARM)).metricAlarms()).isEmpty();
    assertThat(h.client.describeAlarms(b -> b.actionPrefix("arn:aws:sns:")).metricAlarms())
        .extracting(MetricAlarm::alarmName).containsExactly("sm-churn-prod-p99");
    assertThat(h.client.describeAlarmsForMetric(b -> b.namespace("AWS/SageMaker").metricName("Invocations")
        .dimensions(CANARY)).metricAlarms()).extracting(MetricAlarm::alarmName)
        .containsExactly("other-5xx", "sm-churn-prod-5xx-rate");
    assertThatThrownBy(() -> h.client.describeAlarms(b -> b.alarmNames("x").alarmNamePrefix("y")))
        .isInstanceOf(InvalidParameterCombinationException.class);
  }

  @Test
  void setAlarmStatePublishesTheTransitionAndHoldsOnlyUntilTheNextEvaluation() {
    h.client.putMetricAlarm(b -> rateAlarm(b, "sm-churn-prod-5xx-rate"));
    h.runUntil(h.at("12:00:06"));
    assertThat(h.cloudWatch.alarm("sm-churn-prod-5xx-rate").orElseThrow().state()).isEqualTo(AlarmStateValue.OK);

    h.client.setAlarmState(b -> b.alarmName("sm-churn-prod-5xx-rate").stateValue(StateValue.ALARM)
        .stateReason("testing the pager").stateReasonData("{\"by\":\"test\"}"));
    MetricAlarm forced = h.client.describeAlarms(b -> b.alarmNames("sm-churn-prod-5xx-rate")).metricAlarms().get(0);
    h.runUntil(h.at("12:01:06"));

    assertThat(forced.stateValue()).isEqualTo(StateValue.ALARM);
    assertThat(forced.stateReason()).isEqualTo("testing the pager");
    assertThat(forced.stateReasonData()).isEqualTo("{\"by\":\"test\"}");
    assertThat(forced.stateTransitionedTimestamp()).isEqualTo(h.at("12:00:06"));
    List<JsonNode> events = h.alarmEvents("sm-churn-prod-5xx-rate");
    assertThat(events).extracting(e -> e.at("/state/value").asText()).containsExactly("OK", "ALARM", "OK");
    assertThat(events.get(1).at("/state/reason").asText()).isEqualTo("testing the pager");
    assertThat(events.get(2).at("/previousState/reason").asText()).isEqualTo("testing the pager");
    assertThat(h.cloudWatch.transitions()).extracting(AlarmTransition::at)
        .containsExactly(h.at("12:00:05"), h.at("12:00:06"), h.at("12:01:05"));
    assertThatThrownBy(() -> h.client.setAlarmState(b -> b.alarmName("sm-churn-prod-5xx-rate")
        .stateValue(StateValue.OK).stateReason("x").stateReasonData("not json")))
        .isInstanceOfSatisfying(AwsServiceException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidFormat"));
  }

  @Test
  void updatingAnAlarmReplacesItsConfigurationAndKeepsItsState() {
    h.client.putMetricAlarm(b -> rateAlarm(b, "sm-churn-prod-5xx-rate"));
    h.runUntil(h.at("12:00:06"));

    h.client.putMetricAlarm(b -> rateAlarm(b, "sm-churn-prod-5xx-rate").threshold(5.0).alarmDescription("raised"));

    MetricAlarm updated = h.client.describeAlarms(b -> b.alarmNames("sm-churn-prod-5xx-rate")).metricAlarms().get(0);
    assertThat(updated.stateValue()).isEqualTo(StateValue.OK);
    assertThat(updated.stateTransitionedTimestamp()).isEqualTo(h.at("12:00:05"));
    assertThat(updated.alarmConfigurationUpdatedTimestamp()).isEqualTo(h.at("12:00:06"));
    assertThat(updated.threshold()).isEqualTo(5.0);
    assertThat(updated.alarmDescription()).isEqualTo("raised");
    assertThat(h.events).hasSize(1);
  }

  @Test
  void percentileAlarmsCanIgnorePeriodsWithTooFewSamples() {
    // p99 needs 10 / (1 - 0.99) = 1000 samples to be significant; each minute has 20.
    for (int minute = 0; minute < 3; minute++) {
      Instant at = h.sim.start().plusSeconds(60L * minute);
      h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(MetricDatum.builder().metricName("Latency")
          .timestamp(at).values(900.0).counts(20.0).build()));
    }
    for (String option : List.of("ignore", "evaluate")) {
      h.client.putMetricAlarm(b -> b.alarmName("p99-" + option).namespace("Rehearsal").metricName("Latency")
          .extendedStatistic("p99").period(60).evaluationPeriods(3).threshold(500.0)
          .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD).evaluateLowSampleCountPercentile(option));
    }

    h.runUntil(h.at("12:04:00"));

    assertThat(h.cloudWatch.alarm("p99-evaluate").orElseThrow().state()).isEqualTo(AlarmStateValue.ALARM);
    assertThat(h.cloudWatch.alarm("p99-ignore").orElseThrow().state()).isEqualTo(AlarmStateValue.INSUFFICIENT_DATA);
    assertThat(h.cloudWatch.alarm("p99-ignore").orElseThrow().evaluations()).isEqualTo(4);
  }

  @Test
  void aFleetOfAlarmsEvaluatedTogetherChangesStateInNameOrderAsEachAloneWould() {
    // More alarms fall due at once than are read one after the other: the fleet's readings run in
    // parallel, and every alarm still ends where its own data puts it, its transition in name order.
    int alarms = 48;
    for (int i = 0; i < alarms; i++) {
      String endpoint = String.format("ep-%02d", i);
      double latency = i % 3 == 0 ? 900.0 : 100.0;
      for (int minute = 0; minute < 3; minute++) {
        Instant at = h.sim.start().plusSeconds(60L * minute);
        h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(MetricDatum.builder().metricName("Latency")
            .dimensions(dim("EndpointName", endpoint)).timestamp(at).values(latency).counts(20.0).build()));
      }
    }
    for (int i = alarms - 1; i >= 0; i--) {
      String endpoint = String.format("ep-%02d", i);
      h.client.putMetricAlarm(b -> b.alarmName("p99-" + endpoint).namespace("Rehearsal").metricName("Latency")
          .dimensions(dim("EndpointName", endpoint)).extendedStatistic("p99").period(60).evaluationPeriods(3)
          .threshold(500.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    }

    h.runUntil(h.at("12:03:06"));

    List<String> breaching = new java.util.ArrayList<>();
    for (int i = 0; i < alarms; i++) {
      String name = String.format("p99-ep-%02d", i);
      AlarmSnapshot alarm = h.cloudWatch.alarm(name).orElseThrow();
      assertThat(alarm.state()).as(name).isEqualTo(i % 3 == 0 ? AlarmStateValue.ALARM : AlarmStateValue.OK);
      assertThat(alarm.evaluations()).as(name).isEqualTo(4);
      if (i % 3 == 0) {
        breaching.add(name);
      }
    }
    assertThat(h.cloudWatch.transitions()).filteredOn(t -> t.to() == AlarmStateValue.ALARM)
        .extracting(AlarmTransition::alarmName).containsExactlyElementsOf(breaching);
  }

  @Test
  void getMetricDataStopsTheLastPeriodAtEndTime() {
    Instant t0 = h.sim.start();
    h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(
        MetricDatum.builder().metricName("Requests").timestamp(t0.plusSeconds(60)).value(1.0).build(),
        MetricDatum.builder().metricName("Requests").timestamp(t0.plusSeconds(600)).value(1.0).build()));

    GetMetricDataResponse r = h.client.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(300))
        .metricDataQueries(MetricDataQuery.builder().id("s").metricStat(s -> s.period(3600).stat("Sum")
            .metric(m -> m.namespace("Rehearsal").metricName("Requests"))).build()));

    assertThat(r.metricDataResults().get(0).values()).containsExactly(1.0);
  }

  @Test
  void deleteAlarmsOfAnUnknownNameFailsWithResourceNotFoundAndDeletesNothing() {
    h.client.putMetricAlarm(b -> rateAlarm(b, "keep"));

    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> h.client.deleteAlarms(b -> b.alarmNames("keep", "nope")));

    // The SDK maps the code ResourceNotFound to DashboardNotFoundErrorException (two model shapes share it).
    assertThat(t).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFound");
      assertThat(e.statusCode()).isEqualTo(404);
    });
    assertThat(h.cloudWatch.alarm("keep")).isPresent();
    h.client.deleteAlarms(b -> b.alarmNames("keep"));
    assertThat(h.cloudWatch.alarms()).isEmpty();
    assertThat(h.sim.pendingTimers()).isZero();
  }

  @Test
  void putMetricDataThenGetMetricDataComputesEveryStatisticPerPeriod() {
    Instant t0 = h.sim.start();
    h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(
        MetricDatum.builder().metricName("Latency").timestamp(t0.plusSeconds(5)).values(10.0, 20.0, 30.0)
            .counts(50.0, 40.0, 10.0).unit(StandardUnit.MILLISECONDS).build(),
        MetricDatum.builder().metricName("Latency").timestamp(t0.plusSeconds(65)).value(100.0)
            .unit(StandardUnit.MILLISECONDS).build(),
        MetricDatum.builder().metricName("Latency").timestamp(t0.plusSeconds(70)).statisticValues(s -> s
            .sampleCount(4.0).sum(200.0).minimum(20.0).maximum(80.0)).unit(StandardUnit.MILLISECONDS).build()));
    List<String> stats = List.of("Sum", "Average", "SampleCount", "Minimum", "Maximum", "p50", "p99", "tm90");

    GetMetricDataResponse r = h.client.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(120))
        .scanBy(ScanBy.TIMESTAMP_ASCENDING).metricDataQueries(stats.stream().map(stat -> MetricDataQuery.builder()
            .id(stat.toLowerCase()).metricStat(s -> s.period(60).stat(stat).metric(m -> m.namespace("Rehearsal")
                .metricName("Latency"))).build()).toList()));

    assertThat(r.metricDataResults()).allSatisfy(res -> {
      assertThat(res.statusCode()).isEqualTo(StatusCode.COMPLETE);
      assertThat(res.label()).isEqualTo("Latency");
    });
    assertThat(values(r, "sum")).containsExactly(1600.0, 300.0);
    assertThat(values(r, "average")).containsExactly(16.0, 60.0);
    assertThat(values(r, "samplecount")).containsExactly(100.0, 5.0);
    assertThat(values(r, "minimum")).containsExactly(10.0, 20.0);
    assertThat(values(r, "maximum")).containsExactly(30.0, 100.0);
    assertThat(values(r, "p50")).containsExactly(10.0);  // the statistic set has no values: no percentile
    assertThat(values(r, "p99")).containsExactly(30.0);
    assertThat(values(r, "tm90").get(0)).isCloseTo((50 * 10.0 + 40 * 20.0) / 90, within(1e-9));
    assertThat(result(r, "sum").timestamps()).containsExactly(t0, t0.plusSeconds(60));
    assertThat(h.client.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(120)).metricDataQueries(
        MetricDataQuery.builder().id("s").metricStat(s -> s.period(60).stat("Sum").metric(m -> m.namespace("Rehearsal")
            .metricName("Latency"))).build())).metricDataResults().get(0).values()).containsExactly(300.0, 1600.0);
  }

  @Test
  void getMetricDataEvaluatesExpressionsAndPagesByMaxDatapoints() {
    Instant t0 = h.sim.start();
    for (int i = 0; i < 5; i++) {
      Instant at = t0.plusSeconds(60L * i);
      double errors = i;
      h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(
          MetricDatum.builder().metricName("Errors").timestamp(at).value(errors).build(),
          MetricDatum.builder().metricName("Requests").timestamp(at).value(100.0).build()));
    }
    List<MetricDataQuery> queries = List.of(
        MetricDataQuery.builder().id("e").returnData(false).metricStat(s -> s.period(60).stat("Sum")
            .metric(m -> m.namespace("Rehearsal").metricName("Errors"))).build(),
        MetricDataQuery.builder().id("r").returnData(false).metricStat(s -> s.period(60).stat("Sum")
            .metric(m -> m.namespace("Rehearsal").metricName("Requests"))).build(),
        MetricDataQuery.builder().id("rate").expression("100 * e / r").label("error %").build());

    GetMetricDataResponse page1 = h.client.getMetricData(b -> b.startTime(t0.plusSeconds(30)).endTime(t0.plusSeconds(300))
        .scanBy(ScanBy.TIMESTAMP_ASCENDING).maxDatapoints(3).metricDataQueries(queries));
    GetMetricDataResponse page2 = h.client.getMetricData(b -> b.startTime(t0.plusSeconds(30)).endTime(t0.plusSeconds(300))
        .scanBy(ScanBy.TIMESTAMP_ASCENDING).maxDatapoints(3).metricDataQueries(queries).nextToken(page1.nextToken()));

    // StartTime 12:00:30 rounds down to 12:00:00 (periods of a minute or more round to the minute).
    assertThat(page1.metricDataResults()).singleElement().satisfies(res -> {
      assertThat(res.id()).isEqualTo("rate");
      assertThat(res.label()).isEqualTo("error %");
      assertThat(res.values()).containsExactly(0.0, 1.0, 2.0);
      assertThat(res.statusCode()).isEqualTo(StatusCode.PARTIAL_DATA);
    });
    assertThat(page2.metricDataResults().get(0).values()).containsExactly(3.0, 4.0);
    assertThat(page2.metricDataResults().get(0).statusCode()).isEqualTo(StatusCode.COMPLETE);
    assertThat(page2.nextToken()).isNull();
    assertThatThrownBy(() -> h.client.getMetricData(b -> b.startTime(t0).endTime(t0).metricDataQueries(queries)))
        .hasMessageContaining("The parameter StartTime must be less than the parameter EndTime.");
  }

  @Test
  void putMetricDataRejectsAwsNamespacesAndAmbiguousValues() {
    assertThatThrownBy(() -> h.client.putMetricData(b -> b.namespace("AWS/SageMaker").metricData(
        MetricDatum.builder().metricName("Invocations").value(1.0).build())))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Namespace");
    assertThatThrownBy(() -> h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(
        MetricDatum.builder().metricName("m").value(1.0).values(1.0, 2.0).build())))
        .isInstanceOf(InvalidParameterCombinationException.class).hasMessageContaining("MetricData.member.1.Value");
    assertThatThrownBy(() -> h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(
        MetricDatum.builder().metricName("m").values(1.0, 2.0).counts(1.0).build())))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Counts");
    assertThatThrownBy(() -> h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(
        MetricDatum.builder().metricName("m").value(1.0).timestamp(h.sim.now().plus(Duration.ofHours(3))).build())))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Timestamp");
    assertThat(h.cloudWatch.metrics().datapointCount()).isZero();
  }

  @Test
  void listMetricsFiltersByNamespaceNameAndDimensions() {
    h.client.putMetricData(b -> b.namespace("Rehearsal").metricData(
        MetricDatum.builder().metricName("Errors").dimensions(dim("Endpoint", "a"), dim("Variant", "v1")).value(1.0).build(),
        MetricDatum.builder().metricName("Errors").dimensions(dim("Endpoint", "b")).value(1.0).build(),
        MetricDatum.builder().metricName("Requests").dimensions(dim("Endpoint", "a")).value(1.0).build()));

    assertThat(h.client.listMetrics(b -> b.namespace("Rehearsal").metricName("Errors")).metrics()).hasSize(2);
    assertThat(h.client.listMetrics(b -> b.namespace("Rehearsal").dimensions(DimensionFilter.builder().name("Endpoint")
        .value("a").build())).metrics()).extracting(m -> m.metricName()).containsExactly("Errors", "Requests");
    assertThat(h.client.listMetrics(b -> b.dimensions(DimensionFilter.builder().name("Variant").build())).metrics())
        .singleElement().satisfies(m -> assertThat(m.dimensions()).containsExactly(dim("Endpoint", "a"), dim("Variant", "v1")));
    assertThat(h.client.listMetrics(b -> b.namespace("Other")).metrics()).isEmpty();
  }

  private static MetricDataResult result(GetMetricDataResponse r, String id) {
    return r.metricDataResults().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
  }

  private static List<Double> values(GetMetricDataResponse r, String id) {
    return result(r, id).values();
  }

  static JsonNode reasonData(JsonNode event) {
    return LocalJson.parse(event.at("/state/reasonData").asText());
  }
}
