package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.cloudwatch.AlarmDefinition;
import dev.poolshift.local.cloudwatch.MetricDataQuery;
import dev.poolshift.local.cloudwatch.MetricKey;
import dev.poolshift.local.cloudwatch.MetricStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Alarms a scenario's world already has (e.g. a profile's gate alarm), written as the
 * PutMetricAlarm request the AWS CLI takes ({@code aws cloudwatch put-metric-alarm
 * --cli-input-json}): single-metric or metric math. They go through the same validation as the API.
 */
final class ScenarioAlarms {
  private static final Set<String> FIELDS = Set.of("AlarmName", "AlarmDescription", "Namespace", "MetricName",
      "Dimensions", "Statistic", "ExtendedStatistic", "Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
      "ComparisonOperator", "TreatMissingData", "Metrics", "Unit");

  private ScenarioAlarms() {}

  static AlarmDefinition definition(JsonNode a, String at, List<String> problems) {
    a.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        problems.add(at + "." + f + ": unknown field (PutMetricAlarm members)");
      }
    });
    AlarmDefinition.Builder b = AlarmDefinition.builder()
        .alarmName(text(a, "AlarmName"))
        .alarmDescription(text(a, "AlarmDescription"))
        .evaluationPeriods(a.has("EvaluationPeriods") ? a.get("EvaluationPeriods").asInt() : null)
        .datapointsToAlarm(a.has("DatapointsToAlarm") ? a.get("DatapointsToAlarm").asInt() : null)
        .threshold(a.has("Threshold") ? a.get("Threshold").asDouble() : null)
        .comparisonOperator(text(a, "ComparisonOperator"))
        .treatMissingData(text(a, "TreatMissingData"));
    if (a.has("Metrics")) {
      List<MetricDataQuery> queries = new ArrayList<>();
      for (JsonNode q : a.get("Metrics")) {
        JsonNode ms = q.get("MetricStat");
        MetricStat stat = ms == null ? null : new MetricStat(key(ms.path("Metric")),
            ms.has("Period") ? ms.get("Period").asInt() : null, text(ms, "Stat"), text(ms, "Unit"));
        queries.add(new MetricDataQuery(text(q, "Id"), stat, text(q, "Expression"), text(q, "Label"),
            q.has("ReturnData") ? q.get("ReturnData").asBoolean() : null, q.has("Period") ? q.get("Period").asInt() : null));
      }
      b.metrics(queries);
    } else {
      b.namespace(text(a, "Namespace")).metricName(text(a, "MetricName")).dimensions(dimensions(a.path("Dimensions")))
          .statistic(text(a, "Statistic")).extendedStatistic(text(a, "ExtendedStatistic"))
          .period(a.has("Period") ? a.get("Period").asInt() : null).unit(text(a, "Unit"));
    }
    return b.build();
  }

  private static MetricKey key(JsonNode m) {
    return new MetricKey(m.path("Namespace").asText(), m.path("MetricName").asText(), dimensions(m.path("Dimensions")));
  }

  private static List<MetricKey.Dimension> dimensions(JsonNode list) {
    List<MetricKey.Dimension> out = new ArrayList<>();
    list.forEach(d -> out.add(new MetricKey.Dimension(d.path("Name").asText(), d.path("Value").asText())));
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
