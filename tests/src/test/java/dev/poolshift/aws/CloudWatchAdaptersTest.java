package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.plan.CanaryAlarms;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.port.AlarmStatus;
import dev.poolshift.rollout.port.VariantMetrics;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.RolloutWorld;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** CloudWatch speaks the AWS Query protocol: form-encoded requests, XML answers. */
class CloudWatchAdaptersTest {
  private static final String NS = "xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"";
  private final StubHttp http = new StubHttp();
  private final CloudWatchClient client = AwsClients.cloudWatch(http.settings());
  private final CloudWatchAlarms alarms = new CloudWatchAlarms(client);
  private final CloudWatchMetrics metrics = new CloudWatchMetrics(client);

  @Test
  void theCanaryRateAlarmIsMetricMathOverTheVariantsErrorsAndInvocations() {
    List<AlarmSpec> specs = canaryAlarms();
    http.then(Reply.ok("<PutMetricAlarmResponse " + NS + "><ResponseMetadata><RequestId>r"
        + "</RequestId></ResponseMetadata></PutMetricAlarmResponse>"));

    alarms.put(specs.getFirst());

    Map<String, String> form = Form.decode(http.sent().getFirst().text());
    assertThat(form).containsEntry("Action", "PutMetricAlarm")
        .containsEntry("AlarmName", "poolshift-fraud-scoring-prod-canary-v42-5xx-rate")
        .containsEntry("ComparisonOperator", "GreaterThanThreshold")
        .containsEntry("Threshold", "0.001")
        .containsEntry("EvaluationPeriods", "6")
        .containsEntry("DatapointsToAlarm", "3")
        .containsEntry("TreatMissingData", "notBreaching")
        .containsEntry("Metrics.member.1.Id", "errors")
        .containsEntry("Metrics.member.1.ReturnData", "false")
        .containsEntry("Metrics.member.1.MetricStat.Metric.Namespace", "AWS/SageMaker")
        .containsEntry("Metrics.member.1.MetricStat.Metric.MetricName", "Invocation5XXErrors")
        .containsEntry("Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name", "EndpointName")
        .containsEntry("Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Value",
            "fraud-scoring-prod")
        .containsEntry("Metrics.member.1.MetricStat.Metric.Dimensions.member.2.Value", "canary-v42")
        .containsEntry("Metrics.member.1.MetricStat.Period", "10")
        .containsEntry("Metrics.member.1.MetricStat.Stat", "Sum")
        .containsEntry("Metrics.member.2.MetricStat.Metric.MetricName", "Invocations")
        .containsEntry("Metrics.member.3.Id", "expected")
        .containsEntry("Metrics.member.3.Expression", "0.001 * invocations")
        .containsEntry("Metrics.member.3.ReturnData", "false")
        .containsEntry("Metrics.member.4.Id", "spread")
        .containsEntry("Metrics.member.4.ReturnData", "false")
        .containsEntry("Metrics.member.5.Id", "rate")
        .containsEntry("Metrics.member.5.Expression",
            "IF(errors > expected + 3 * spread + 1, errors / invocations, 0)")
        .containsEntry("Metrics.member.5.ReturnData", "true");
    assertThat(form.get("Metrics.member.4.Expression")).startsWith("IF(expected < 2, (expected + 1) / 2, ")
        .endsWith("(expected + 16384) / 256)))))))");
    assertThat(form).doesNotContainKey("Metrics.member.5.MetricStat.Period");
  }

  @Test
  void eachPoolTypeGetsItsOwnRateAlarmAndLatencyIsInMicroseconds() {
    List<AlarmSpec> specs = canaryAlarms();
    http.route(s -> Reply.ok("<PutMetricAlarmResponse " + NS + "/>"));

    specs.forEach(alarms::put);

    Map<String, String> g6 = Form.decode(http.sent().get(3).text());
    assertThat(g6).containsEntry("AlarmName",
        "poolshift-fraud-scoring-prod-canary-v42-5xx-rate-g6-2xlarge")
        .containsEntry("Metrics.member.1.MetricStat.Metric.Dimensions.member.3.Name", "InstanceType")
        .containsEntry("Metrics.member.1.MetricStat.Metric.Dimensions.member.3.Value",
            "ml.g6.2xlarge");
    Map<String, String> latency = Form.decode(http.sent().getLast().text());
    assertThat(latency).containsEntry("Metrics.member.1.MetricStat.Metric.MetricName",
        "ModelLatency").containsEntry("Metrics.member.1.MetricStat.Stat", "p99")
        .containsEntry("Metrics.member.1.ReturnData", "true")
        .containsEntry("Threshold", "100000.0");
  }

  @Test
  void alarmStatesAreReadAndAMissingAlarmIsAbsent() {
    http.then(Reply.ok("<DescribeAlarmsResponse " + NS + "><DescribeAlarmsResult><MetricAlarms>"
        + "<member><AlarmName>a1</AlarmName><StateValue>ALARM</StateValue><StateReason>Threshold"
        + " Crossed</StateReason></member><member><AlarmName>a2</AlarmName><StateValue>"
        + "INSUFFICIENT_DATA</StateValue><StateReason>Unchecked</StateReason></member>"
        + "</MetricAlarms><CompositeAlarms/></DescribeAlarmsResult></DescribeAlarmsResponse>"));

    Map<String, AlarmStatus> states = alarms.describe(List.of("a1", "a2", "gone"));

    assertThat(states).containsOnlyKeys("a1", "a2");
    assertThat(states.get("a1")).isEqualTo(new AlarmStatus("a1", AlarmState.ALARM,
        "Threshold Crossed"));
    Map<String, String> form = Form.decode(http.sent().getFirst().text());
    assertThat(form).containsEntry("AlarmNames.member.3", "gone")
        .containsEntry("AlarmTypes.member.1", "MetricAlarm")
        .containsEntry("AlarmTypes.member.2", "CompositeAlarm");
  }

  @Test
  void onlyAlarmsThatExistAreDeletedBecauseOneUnknownNameDeletesNothing() {
    http.then(Reply.ok("<DescribeAlarmsResponse " + NS + "><DescribeAlarmsResult><MetricAlarms>"
        + "<member><AlarmName>a1</AlarmName><StateValue>OK</StateValue></member></MetricAlarms>"
        + "</DescribeAlarmsResult></DescribeAlarmsResponse>"),
        Reply.ok("<DeleteAlarmsResponse " + NS + "/>"));

    alarms.delete(List.of("a1", "gone"));

    Map<String, String> delete = Form.decode(http.sent().get(1).text());
    assertThat(delete).containsEntry("Action", "DeleteAlarms")
        .containsEntry("AlarmNames.member.1", "a1").doesNotContainKey("AlarmNames.member.2");
  }

  @Test
  void theCheckBeforeADeleteAsksForMetricAlarmsOnlySoAPrefixScopedPermissionSuffices() {
    http.then(Reply.ok("<DescribeAlarmsResponse " + NS + "><DescribeAlarmsResult><MetricAlarms/>"
        + "</DescribeAlarmsResult></DescribeAlarmsResponse>"));

    alarms.delete(List.of("poolshift-fraud-scoring-prod-canary-v42-5xx-rate"));

    Map<String, String> describe = Form.decode(http.sent().getFirst().text());
    assertThat(describe).containsEntry("Action", "DescribeAlarms")
        .containsEntry("AlarmTypes.member.1", "MetricAlarm")
        .doesNotContainKey("AlarmTypes.member.2");
    assertThat(http.sent()).as("nothing found, nothing deleted").hasSize(1);
  }

  @Test
  void theGateReadsTheWholeWindowAsOnePeriod() {
    http.then(Reply.ok("<GetMetricDataResponse " + NS + "><GetMetricDataResult><MetricDataResults>"
        + result("invocations", "5400.0") + result("errors", "3.0") + result("latency", "64200.5")
        + "</MetricDataResults><Messages/></GetMetricDataResult></GetMetricDataResponse>"));

    VariantMetrics m = metrics.variant("fraud-scoring-prod", "canary-v42",
        Instant.parse("2026-06-01T12:01:00Z"), Instant.parse("2026-06-01T12:10:00Z"), true);

    assertThat(m).isEqualTo(new VariantMetrics(5400, 3, 64200.5));
    Map<String, String> form = Form.decode(http.sent().getFirst().text());
    assertThat(form).containsEntry("Action", "GetMetricData")
        .containsEntry("StartTime", "2026-06-01T12:01:00Z")
        .containsEntry("EndTime", "2026-06-01T12:10:00Z")
        .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.MetricName", "Invocations")
        .containsEntry("MetricDataQueries.member.1.MetricStat.Period", "540")
        .containsEntry("MetricDataQueries.member.1.MetricStat.Stat", "Sum")
        .containsEntry("MetricDataQueries.member.2.MetricStat.Metric.MetricName",
            "Invocation5XXErrors")
        .containsEntry("MetricDataQueries.member.3.MetricStat.Stat", "p99");
  }

  @Test
  void anInferenceComponentIsReadByItsOwnNameOverallAndPerPoolType() {
    http.then(Reply.ok("<GetMetricDataResponse " + NS + "><GetMetricDataResult><MetricDataResults>"
        + result("invocations", "9000.0") + result("errors", "4.0")
        + result("invocations_0", "1200.0") + result("errors_0", "3.0")
        + "</MetricDataResults><Messages/></GetMetricDataResult></GetMetricDataResponse>"));

    VariantMetrics m = metrics.component("churn-ic", java.util.List.of("ml.g6.2xlarge"),
        Instant.parse("2026-06-01T12:00:00Z"), Instant.parse("2026-06-01T12:30:00Z"), false);

    assertThat(m.invocations()).isEqualTo(9000);
    assertThat(m.errors5xx()).isEqualTo(4);
    assertThat(m.byType()).containsEntry("ml.g6.2xlarge", new VariantMetrics(1200, 3, null));
    Map<String, String> form = Form.decode(http.sent().getFirst().text());
    assertThat(form)
        .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name",
            "InferenceComponentName")
        .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value",
            "churn-ic")
        .doesNotContainKey("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.2.Name")
        .containsEntry("MetricDataQueries.member.3.MetricStat.Metric.Dimensions.member.2.Name",
            "InstanceType")
        .containsEntry("MetricDataQueries.member.3.MetricStat.Metric.Dimensions.member.2.Value",
            "ml.g6.2xlarge");
    assertThat(form.values()).doesNotContain("EndpointName", "VariantName");
  }

  @Test
  void noDatapointsMeanZeroInvocationsAndNoLatency() {
    http.then(Reply.ok("<GetMetricDataResponse " + NS + "><GetMetricDataResult><MetricDataResults>"
        + "<member><Id>invocations</Id><Timestamps/><Values/><StatusCode>Complete</StatusCode>"
        + "</member></MetricDataResults></GetMetricDataResult></GetMetricDataResponse>"));

    VariantMetrics m = metrics.variant("ep", "canary-v42", Instant.parse("2026-06-01T12:01:00Z"),
        Instant.parse("2026-06-01T12:02:00Z"), false);

    assertThat(m).isEqualTo(new VariantMetrics(0, 0, null));
  }

  @Test
  void accessDeniedIsAServiceCallErrorWithTheCode() {
    http.then(new Reply(403, Form.queryError("AccessDenied", "not authorized"), false));

    assertThatThrownBy(() -> alarms.describe(List.of("a1")))
        .isInstanceOf(ServiceCallException.class).hasMessageContaining("AccessDenied");
  }

  private static String result(String id, String value) {
    return "<member><Id>" + id + "</Id><Timestamps><member>2026-06-01T12:01:00Z</member>"
        + "</Timestamps><Values><member>" + value + "</member></Values><StatusCode>Complete"
        + "</StatusCode></member>";
  }

  private static List<AlarmSpec> canaryAlarms() {
    PlanDocument plan = new RolloutWorld().plan();
    return CanaryAlarms.forRollout("poolshift-", plan.rollout());
  }
}
