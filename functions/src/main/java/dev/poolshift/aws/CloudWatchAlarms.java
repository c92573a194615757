package dev.poolshift.aws;

import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.port.AlarmStatus;
import dev.poolshift.rollout.port.Alarms;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;

/** {@link Alarms} on CloudWatch: PutMetricAlarm (metric math), DescribeAlarms, DeleteAlarms. */
public final class CloudWatchAlarms implements Alarms {
  /** DescribeAlarms and DeleteAlarms take at most 100 names per call. */
  private static final int BATCH = 100;
  private final CloudWatchClient cloudWatch;

  public CloudWatchAlarms(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @Override
  public void put(AlarmSpec alarm) {
    try {
      cloudWatch.putMetricAlarm(b -> b
          .alarmName(alarm.name())
          .alarmDescription(alarm.description())
          .metrics(alarm.queries().stream().map(CloudWatchAlarms::query).toList())
          .comparisonOperator(alarm.comparisonOperator())
          .threshold(alarm.threshold())
          .evaluationPeriods(alarm.evaluationPeriods())
          .datapointsToAlarm(alarm.datapointsToAlarm())
          .treatMissingData(alarm.treatMissingData()));
    } catch (SdkException e) {
      throw AwsErrors.translate("PutMetricAlarm " + alarm.name(), e);
    }
  }

  /** Metric and composite alarms: a profile's gate alarm may be either. */
  @Override
  public Map<String, AlarmStatus> describe(Collection<String> alarmNames) {
    return describe(alarmNames, List.of(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM));
  }

  private Map<String, AlarmStatus> describe(Collection<String> alarmNames, List<AlarmType> types) {
    Map<String, AlarmStatus> out = new LinkedHashMap<>();
    for (List<String> batch : batches(alarmNames)) {
      String next = null;
      do {
        String token = next;
        DescribeAlarmsResponse page;
        try {
          page = cloudWatch.describeAlarms(b -> b.alarmNames(batch).alarmTypes(types)
              .maxRecords(BATCH).nextToken(token));
        } catch (SdkException e) {
          throw AwsErrors.translate("DescribeAlarms " + batch, e);
        }
        page.metricAlarms().forEach(a -> out.put(a.alarmName(), new AlarmStatus(a.alarmName(),
            AlarmState.parse(a.stateValueAsString()), a.stateReason())));
        page.compositeAlarms().forEach(a -> out.put(a.alarmName(), new AlarmStatus(
            a.alarmName(), AlarmState.parse(a.stateValueAsString()), a.stateReason())));
        next = page.nextToken();
      } while (next != null && !next.isEmpty());
    }
    return out;
  }

  /**
   * Deletes the ones that exist: DeleteAlarms deletes nothing when one name is unknown. Only the
   * rollout's own alarms are ever deleted, and Poolshift creates metric alarms only, so the check
   * asks for metric alarms: CloudWatch answers about composite alarms only to a DescribeAlarms
   * permission on {@code *}, and the reconciler's is limited to the managed alarm prefix.
   */
  @Override
  public void delete(Collection<String> alarmNames) {
    List<String> existing =
        new ArrayList<>(describe(alarmNames, List.of(AlarmType.METRIC_ALARM)).keySet());
    for (List<String> batch : batches(existing)) {
      try {
        cloudWatch.deleteAlarms(b -> b.alarmNames(batch));
      } catch (ResourceNotFoundException e) {
        // Deleted between the describe and now: what we wanted.
      } catch (SdkException e) {
        throw AwsErrors.translate("DeleteAlarms " + batch, e);
      }
    }
  }

  private static MetricDataQuery query(AlarmSpec.Query q) {
    MetricDataQuery.Builder b = MetricDataQuery.builder().id(q.id()).returnData(q.returnData());
    if (q.label() != null) {
      b.label(q.label());
    }
    if (q.expression() != null) {
      return b.expression(q.expression()).build();
    }
    return b.metricStat(s -> s
        .metric(m -> m.namespace(AlarmSpec.NAMESPACE).metricName(q.metricName())
            .dimensions(q.dimensions().entrySet().stream()
                .map(d -> Dimension.builder().name(d.getKey()).value(d.getValue()).build())
                .toList()))
        .period(q.period())
        .stat(q.stat())).build();
  }

  private static List<List<String>> batches(Collection<String> names) {
    List<String> all = List.copyOf(names);
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += BATCH) {
      out.add(all.subList(i, Math.min(all.size(), i + BATCH)));
    }
    return out;
  }
}
