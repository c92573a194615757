package dev.poolshift.local.cloudwatch;

import java.util.List;
import java.util.Map;

/**
 * PutMetricAlarm's input, member for member (nulls for members not given). {@link
 * CloudWatch#putMetricAlarm} validates it as CloudWatch does. The wire service builds one from the
 * Query-protocol form; in-process callers (a template loader creating {@code AWS::CloudWatch::Alarm}
 * resources) can build one with {@link #builder}.
 */
public record AlarmDefinition(
    String alarmName,
    String alarmDescription,
    Boolean actionsEnabled,
    List<String> okActions,
    List<String> alarmActions,
    List<String> insufficientDataActions,
    String metricName,
    String namespace,
    List<MetricKey.Dimension> dimensions,
    String statistic,
    String extendedStatistic,
    Integer period,
    String unit,
    Integer evaluationPeriods,
    Integer datapointsToAlarm,
    Double threshold,
    String comparisonOperator,
    String treatMissingData,
    String evaluateLowSampleCountPercentile,
    List<MetricDataQuery> metrics,
    String thresholdMetricId,
    Map<String, String> tags) {

  public AlarmDefinition {
    okActions = okActions == null ? List.of() : List.copyOf(okActions);
    alarmActions = alarmActions == null ? List.of() : List.copyOf(alarmActions);
    insufficientDataActions = insufficientDataActions == null ? List.of() : List.copyOf(insufficientDataActions);
    dimensions = dimensions == null ? null : List.copyOf(dimensions);
    metrics = metrics == null ? null : List.copyOf(metrics);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Fluent construction for in-process callers; unset members stay null. */
  public static final class Builder {
    private String alarmName;
    private String alarmDescription;
    private Boolean actionsEnabled;
    private List<String> okActions;
    private List<String> alarmActions;
    private List<String> insufficientDataActions;
    private String metricName;
    private String namespace;
    private List<MetricKey.Dimension> dimensions;
    private String statistic;
    private String extendedStatistic;
    private Integer period;
    private String unit;
    private Integer evaluationPeriods;
    private Integer datapointsToAlarm;
    private Double threshold;
    private String comparisonOperator;
    private String treatMissingData;
    private String evaluateLowSampleCountPercentile;
    private List<MetricDataQuery> metrics;
    private String thresholdMetricId;
    private Map<String, String> tags;

    public Builder alarmName(String v) {
      alarmName = v;
      return this;
    }

    public Builder alarmDescription(String v) {
      alarmDescription = v;
      return this;
    }

    public Builder actionsEnabled(Boolean v) {
      actionsEnabled = v;
      return this;
    }

    public Builder okActions(List<String> v) {
      okActions = v;
      return this;
    }

    public Builder alarmActions(List<String> v) {
      alarmActions = v;
      return this;
    }

    public Builder insufficientDataActions(List<String> v) {
      insufficientDataActions = v;
      return this;
    }

    /** The single metric the alarm watches (MetricName, Namespace, Dimensions). */
    public Builder metric(MetricKey key) {
      metricName = key.metricName();
      namespace = key.namespace();
      dimensions = key.dimensions();
      return this;
    }

    public Builder metricName(String v) {
      metricName = v;
      return this;
    }

    public Builder namespace(String v) {
      namespace = v;
      return this;
    }

    public Builder dimensions(List<MetricKey.Dimension> v) {
      dimensions = v;
      return this;
    }

    public Builder statistic(String v) {
      statistic = v;
      return this;
    }

    public Builder extendedStatistic(String v) {
      extendedStatistic = v;
      return this;
    }

    public Builder period(Integer v) {
      period = v;
      return this;
    }

    public Builder unit(String v) {
      unit = v;
      return this;
    }

    public Builder evaluationPeriods(Integer v) {
      evaluationPeriods = v;
      return this;
    }

    public Builder datapointsToAlarm(Integer v) {
      datapointsToAlarm = v;
      return this;
    }

    public Builder threshold(Double v) {
      threshold = v;
      return this;
    }

    public Builder comparisonOperator(String v) {
      comparisonOperator = v;
      return this;
    }

    public Builder treatMissingData(String v) {
      treatMissingData = v;
      return this;
    }

    public Builder evaluateLowSampleCountPercentile(String v) {
      evaluateLowSampleCountPercentile = v;
      return this;
    }

    public Builder metrics(List<MetricDataQuery> v) {
      metrics = v;
      return this;
    }

    public Builder thresholdMetricId(String v) {
      thresholdMetricId = v;
      return this;
    }

    public Builder tags(Map<String, String> v) {
      tags = v;
      return this;
    }

    public AlarmDefinition build() {
      return new AlarmDefinition(alarmName, alarmDescription, actionsEnabled, okActions, alarmActions,
          insufficientDataActions, metricName, namespace, dimensions, statistic, extendedStatistic, period, unit,
          evaluationPeriods, datapointsToAlarm, threshold, comparisonOperator, treatMissingData,
          evaluateLowSampleCountPercentile, metrics, thresholdMetricId, tags);
    }
  }
}
