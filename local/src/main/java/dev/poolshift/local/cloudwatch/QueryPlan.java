package dev.poolshift.local.cloudwatch;

import dev.poolshift.local.cloudwatch.MetricMath.MathException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated list of metric data queries (an alarm's {@code Metrics} or GetMetricData's {@code
 * MetricDataQueries}) and its evaluation against the {@link MetricStore}: MetricStat queries read
 * a statistic per period, expressions combine them with {@link MetricMath}.
 */
final class QueryPlan {
  static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
      "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
      "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
      "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
  private static final Pattern ID = Pattern.compile("[a-z][A-Za-z0-9_]*");
  /** "Alarms on math expressions cannot contain more than 10 individual metrics." */
  static final int MAX_ALARM_METRICS = 10;

  /** One compiled query: a metric read ({@code metric != null}) or an expression. */
  record Query(String id, MetricKey metric, int period, Statistic stat, String unit, String expression,
      MetricMath.Node node, String label, boolean returnData, Integer expressionPeriod) {
    boolean isMetric() {
      return metric != null;
    }

    /** The label CloudWatch shows when none was given. */
    String displayLabel() {
      if (label != null) {
        return label;
      }
      return isMetric() ? metric.metricName() : id;
    }
  }

  /** What evaluation produced: every query's value, and per metric query the sample count per timestamp. */
  record Result(Map<String, MetricMath.Value> values, Map<String, Map<Long, Double>> sampleCounts) {}

  private final List<Query> queries;
  private final Map<String, Query> byId;

  private QueryPlan(List<Query> queries) {
    this.queries = List.copyOf(queries);
    Map<String, Query> map = new LinkedHashMap<>();
    queries.forEach(q -> map.put(q.id(), q));
    this.byId = map;
  }

  List<Query> queries() {
    return queries;
  }

  Query query(String id) {
    return byId.get(id);
  }

  List<Query> returned() {
    return queries.stream().filter(Query::returnData).toList();
  }

  /** A plan reading one metric (a single-metric alarm), under a fixed id. */
  static QueryPlan single(String id, MetricKey metric, int period, Statistic stat, String unit) {
    return new QueryPlan(List.of(new Query(id, metric, period, stat, unit, null, null, null, true, null)));
  }

  /**
   * Validates and compiles queries. {@code member} is the request member they came in ({@code
   * Metrics} or {@code MetricDataQueries}), for messages; {@code forAlarm} applies the alarm rules
   * (exactly one returned time series, at most ten metrics, alarm periods).
   */
  static QueryPlan compile(String member, List<MetricDataQuery> input, boolean forAlarm) {
    if (input.isEmpty()) {
      throw Validation.error("Invalid " + member + " list: it must contain at least one element.");
    }
    List<Query> compiled = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int metricCount = 0;
    for (int i = 0; i < input.size(); i++) {
      MetricDataQuery q = input.get(i);
      String path = member + ".member." + (i + 1);
      String id = Validation.required(path + ".Id", q.id());
      Validation.length(path + ".Id", id, 1, 255);
      if (!ID.matcher(id).matches()) {
        throw Validation.error("The value " + id + " for parameter " + path + ".Id is invalid: an id must start with "
            + "a lowercase letter and contain only letters, numbers and underscores.");
      }
      if (!ids.add(id)) {
        throw Validation.error("Invalid " + member + " list: the id " + id + " is used more than once.");
      }
      if ((q.metricStat() == null) == (q.expression() == null)) {
        throw Validation.error("Invalid " + member + " list: " + path + " must have exactly one of MetricStat and "
            + "Expression.");
      }
      Validation.length(path + ".Label", q.label(), 0, 1024);
      if (q.metricStat() != null) {
        metricCount++;
        compiled.add(compileMetric(path, id, q, forAlarm));
      } else {
        Validation.length(path + ".Expression", q.expression(), 1, 2048);
        MetricMath.Node node;
        try {
          node = MetricMath.parse(q.expression());
        } catch (MathException e) {
          throw Validation.error("Error in expression " + id + ": " + e.getMessage() + " (" + path + ".Expression: "
              + q.expression() + ")");
        }
        if (q.period() != null && !Validation.validQueryPeriod(q.period())) {
          throw Validation.error("The value " + q.period() + " for parameter " + path + ".Period is invalid: the period "
              + "must be 1, 5, 10, 20, 30 or a multiple of 60.");
        }
        compiled.add(new Query(id, null, 0, null, null, q.expression(), node, q.label(), q.returnsData(), q.period()));
      }
    }
    if (forAlarm && metricCount > MAX_ALARM_METRICS) {
      throw Validation.error("Alarms on math expressions cannot contain more than " + MAX_ALARM_METRICS
          + " individual metrics");
    }
    QueryPlan plan = new QueryPlan(compiled);
    Map<String, MetricMath.Type> types = plan.checkExpressions();
    List<Query> returned = plan.returned();
    if (forAlarm) {
      if (returned.size() != 1) {
        throw Validation.error("Exactly one element of the metrics list should return data.");
      }
      if (types.get(returned.get(0).id()) != MetricMath.Type.SERIES) {
        throw Validation.error("Invalid metrics list: the expression " + returned.get(0).id() + " must return a single "
            + "time series for an alarm.");
      }
    } else if (returned.isEmpty()) {
      throw Validation.error("Invalid " + member + " list: at least one query must return data.");
    }
    return plan;
  }

  private static Query compileMetric(String path, String id, MetricDataQuery q, boolean forAlarm) {
    MetricStat ms = q.metricStat();
    MetricKey metric = Validation.required(path + ".MetricStat.Metric", ms.metric());
    Validation.length(path + ".MetricStat.Metric.Namespace", metric.namespace(), 1, 255);
    Validation.length(path + ".MetricStat.Metric.MetricName", metric.metricName(), 1, 255);
    if (metric.dimensions().size() > 30) {
      throw Validation.constraint(path + ".MetricStat.Metric.Dimensions", metric.dimensions().size() + " dimensions",
          "Member must have length less than or equal to 30");
    }
    int period = Validation.required(path + ".MetricStat.Period", ms.period());
    Validation.atLeast(path + ".MetricStat.Period", period, 1);
    if (forAlarm ? !Validation.validAlarmPeriod(period) : !Validation.validQueryPeriod(period)) {
      throw Validation.error("The value " + period + " for parameter " + path + ".MetricStat.Period is invalid: the "
          + "period must be " + (forAlarm ? "10, 20, 30" : "1, 5, 10, 20, 30") + " or a multiple of 60.");
    }
    String statText = Validation.required(path + ".MetricStat.Stat", ms.stat());
    Statistic stat = Statistic.parse(statText).orElseThrow(() -> Validation.error("The value " + statText
        + " for parameter " + path + ".MetricStat.Stat is invalid: not a CloudWatch statistic."));
    Validation.oneOf(path + ".MetricStat.Unit", ms.unit(), UNITS);
    return new Query(id, metric, period, stat, ms.unit(), null, null, q.label(), q.returnsData(), null);
  }

  /** Type-checks every expression (unknown ids and functions, cycles); returns each query's type. */
  private Map<String, MetricMath.Type> checkExpressions() {
    Map<String, MetricMath.Type> types = new HashMap<>();
    for (Query q : queries) {
      typeOf(q.id(), types, new HashSet<>());
    }
    return types;
  }

  private MetricMath.Type typeOf(String id, Map<String, MetricMath.Type> types, Set<String> visiting) {
    MetricMath.Type known = types.get(id);
    if (known != null) {
      return known;
    }
    Query q = byId.get(id);
    if (q == null) {
      return null;
    }
    if (q.isMetric()) {
      types.put(id, MetricMath.Type.SERIES);
      return MetricMath.Type.SERIES;
    }
    if (!visiting.add(id)) {
      throw Validation.error("Error in expression " + id + ": circular reference through " + visiting);
    }
    MetricMath.Type t;
    try {
      t = MetricMath.check(q.node(), ref -> typeOf(ref, types, visiting));
    } catch (MathException e) {
      throw Validation.error("Error in expression " + id + ": " + e.getMessage() + " (expression: " + q.expression()
          + ")");
    }
    visiting.remove(id);
    types.put(id, t);
    return t;
  }

  /** The period of the metric queries (alarms require one common period; see {@link CloudWatch}). */
  List<Integer> metricPeriods() {
    return queries.stream().filter(Query::isMetric).map(Query::period).distinct().toList();
  }

  /**
   * Evaluates every query. Metric queries are read on their own period from {@code metricGrid},
   * never past {@code end} (null: whole periods); expressions see {@code expressionGrid} (FILL,
   * TIME_SERIES) and {@code expressionPeriod}.
   */
  Result evaluate(MetricStore store, Instant now, Instant end, java.util.function.Function<Query, long[]> metricGrid,
      long[] expressionGrid, long expressionPeriod) {
    Map<String, MetricMath.Value> values = new HashMap<>();
    Map<String, Map<Long, Double>> samples = new HashMap<>();
    for (Query q : queries) {
      if (q.isMetric()) {
        values.put(q.id(), new MetricMath.SeriesValue(read(store, now, end, q, metricGrid.apply(q), samples)));
      }
    }
    MetricMath.Context ctx = new MetricMath.Context() {
      @Override
      public long[] grid() {
        return expressionGrid;
      }

      @Override
      public long period() {
        return expressionPeriod;
      }

      @Override
      public MetricMath.Value resolve(String id) {
        return valueOf(id, values, this);
      }

      @Override
      public List<MetricMath.Series> metrics(String filter) {
        List<MetricMath.Series> result = new ArrayList<>();
        for (Query q : queries) {
          if (q.isMetric() && (filter == null || q.id().contains(filter) || q.displayLabel().contains(filter))) {
            result.add(((MetricMath.SeriesValue) values.get(q.id())).series());
          }
        }
        return result;
      }
    };
    for (Query q : queries) {
      valueOf(q.id(), values, ctx);
    }
    return new Result(values, samples);
  }

  private MetricMath.Value valueOf(String id, Map<String, MetricMath.Value> values, MetricMath.Context ctx) {
    MetricMath.Value v = values.get(id);
    if (v == null) {
      v = MetricMath.evaluate(byId.get(id).node(), ctx);
      values.put(id, v);
    }
    return v;
  }

  private static MetricMath.Series read(MetricStore store, Instant now, Instant end, Query q, long[] grid,
      Map<String, Map<Long, Double>> samples) {
    long[] t = new long[grid.length];
    double[] v = new double[grid.length];
    Map<Long, Double> counts = new HashMap<>();
    int n = 0;
    for (long start : grid) {
      Instant to = Instant.ofEpochSecond(start + q.period());
      if (end != null && to.isAfter(end)) {
        to = end;
      }
      var d = store.aggregate(q.metric(), q.unit(), Instant.ofEpochSecond(start), to, now);
      if (d.isEmpty()) {
        continue;
      }
      double value = q.stat().apply(d.get());
      if (Double.isFinite(value)) {
        t[n] = start;
        v[n++] = value;
        counts.put(start, d.get().sampleCount());
      }
    }
    samples.put(q.id(), counts);
    return new MetricMath.Series(q.displayLabel(), java.util.Arrays.copyOf(t, n), java.util.Arrays.copyOf(v, n));
  }
}
