package dev.poolshift.rollout.canary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CloudWatch alarm Poolshift creates for a rollout, in PutMetricAlarm's metric-math form: the
 * query with {@code returnData} is compared with {@code threshold}.
 *
 * @param name unique per account and Region; starts with the managed-alarm prefix so the alarm
 *     rule hears it
 * @param evaluationPeriods periods looked at
 * @param datapointsToAlarm breaching periods among them that set ALARM
 * @param treatMissingData {@code notBreaching}: an idle canary stays OK; "no data is never a pass"
 *     is the gate's job (minimum invocations), not the alarm's
 */
public record AlarmSpec(
    String name,
    String description,
    List<Query> queries,
    String comparisonOperator,
    double threshold,
    int evaluationPeriods,
    int datapointsToAlarm,
    String treatMissingData) {

  public static final String NAMESPACE = "AWS/SageMaker";

  public AlarmSpec {
    queries = List.copyOf(queries);
    if (queries.stream().filter(Query::returnData).count() != 1) {
      throw new IllegalArgumentException("alarm " + name + ": exactly one query returns data");
    }
  }

  /**
   * One entry of {@code Metrics}: a metric read ({@code metricName} set) or an expression over
   * other entries ({@code expression} set). Ids start with a lower-case letter.
   */
  public record Query(
      String id,
      String label,
      String expression,
      String metricName,
      Map<String, String> dimensions,
      String stat,
      Integer period,
      boolean returnData) {

    public Query {
      dimensions = dimensions == null ? Map.of() : java.util.Collections.unmodifiableMap(
          new LinkedHashMap<>(dimensions));
      if ((expression == null) == (metricName == null)) {
        throw new IllegalArgumentException("query " + id + ": either a metric or an expression");
      }
    }

    public static Query metric(String id, String metricName, Map<String, String> dimensions,
        String stat, int period) {
      return new Query(id, null, null, metricName, dimensions, stat, period, false);
    }

    public static Query expression(String id, String label, String expression) {
      return new Query(id, label, expression, null, null, null, null, true);
    }

    public Query returningData() {
      return new Query(id, label, expression, metricName, dimensions, stat, period, true);
    }

    /** An intermediate result other queries use; the alarm compares only one query's data. */
    public Query intermediate() {
      return new Query(id, label, expression, metricName, dimensions, stat, period, false);
    }
  }
}
