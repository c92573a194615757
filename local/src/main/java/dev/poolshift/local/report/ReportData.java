package dev.poolshift.local.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.cloudwatch.AlarmStateValue;
import dev.poolshift.local.cloudwatch.AlarmTransition;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointMoment;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.TimelineLine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the HTML report draws, in seconds of virtual time since the scenario's start, read
 * from what the simulated services recorded (never from what the workflow says it did):
 * DescribeEndpoint's history for weights and status, the fleets {@link RunRecorder} saw, CloudWatch's
 * alarm transitions and the metrics the traffic model published, the SageMaker calls accepted, the
 * events on the bus, and the run's {@link ScenarioReport}.
 */
public record ReportData(String scenario, String description, double endSeconds, long wallMillis, boolean finished,
    List<Run> executions, List<RollbackFacts> rollbacks, List<EndpointCharts> endpoints, List<AlarmRow> alarms,
    List<Marker> markers, List<TimelineLine> timeline, int metricPeriodSeconds) {

  /** One execution: {@code endedAt} null while it runs; {@code endpoint} from its plan, or null. */
  public record Run(String name, String status, String outcome, double startedAt, Double endedAt, String cause,
      String endpoint) {}

  /** One rollback's measured instants (null: did not happen). */
  public record RollbackFacts(String execution, String endpoint, String outcome, String alarmName, Double firstErrorAt,
      Double alarmAt, Double restoreCallAt, Double baselineRestoredAt, Double tActSeconds,
      Double firstErrorToBaselineSeconds) {}

  /** A value at a time; a NaN value is a gap (the series does not exist then). */
  public record Point(double t, double v) {}

  /**
   * One line of a chart.
   *
   * @param variant the production variant it belongs to (colours follow the variant)
   * @param instanceType the instance type, or null for a whole-variant series
   * @param step whether the value holds until the next point (weights, counts) rather than being
   *     a per-period measurement
   */
  public record Series(String name, String variant, String instanceType, List<Point> points, boolean step) {}

  /** A stretch of time in one state, e.g. an endpoint {@code Updating} or an alarm in {@code ALARM}. */
  public record Band(double from, double to, String state, String title) {}

  /** One alarm's states over its lifetime(s). */
  public record AlarmRow(String name, List<Band> bands) {}

  /**
   * Something that happened at one instant, drawn on the events chart and as a guide line through
   * the others. Kinds: {@code approval}, {@code execution-start}, {@code execution-end}, {@code
   * weight-shift}, {@code update-endpoint}, {@code rollback-weights}, {@code rollback-config},
   * {@code alarm}, {@code operator}, {@code fault}.
   *
   * @param state a kind's detail: the alarm's new state, an execution's outcome; else null
   */
  public record Marker(double at, String kind, String state, String label, String title) {}

  /**
   * One endpoint's charts.
   *
   * @param models per variant, the model versions its instances ran (short names), in order seen
   * @param priorities per instance type, the pool priority it ran at (0: a single-type variant)
   */
  public record EndpointCharts(String name, List<Series> weights, List<Band> status, List<Series> serving,
      List<Series> held, List<Series> errorsByVariant, List<Series> errorsByInstanceType, List<Series> p99ByVariant,
      List<Series> p99ByInstanceType, Map<String, List<String>> models, Map<String, Integer> priorities,
      JsonNode finalState) {}

  /** Reads a finished run; the runtime must still be open. */
  public static ReportData collect(Scenario scenario, LocalRuntime runtime, ScenarioReport report, RunRecorder recorder) {
    Instant t0 = scenario.start();
    JsonNode json = report.json();
    double end = json.path("virtualSeconds").asDouble();
    int period = MetricSeries.period(end);
    List<Run> runs = new ArrayList<>();
    Map<String, String> endpointOf = Markers.planEndpoints(runtime);
    for (JsonNode x : json.path("executions")) {
      runs.add(new Run(x.path("name").asText(), x.path("status").asText(), x.path("outcome").asText(),
          x.path("startedAtSeconds").asDouble(), x.hasNonNull("endedAtSeconds") ? x.get("endedAtSeconds").asDouble() : null,
          x.path("cause").asText(null), endpointOf.get(x.path("name").asText())));
    }
    List<RollbackFacts> rollbacks = new ArrayList<>();
    for (JsonNode r : json.path("rollbacks")) {
      rollbacks.add(new RollbackFacts(r.path("execution").asText(), r.path("endpoint").asText(), r.path("outcome").asText(),
          r.path("alarmName").asText(null), num(r, "firstErrorAtSeconds"), num(r, "alarmAtSeconds"),
          num(r, "restoreCallAtSeconds"), num(r, "baselineRestoredAtSeconds"), num(r, "tActSeconds"),
          num(r, "firstErrorToBaselineSeconds")));
    }
    List<EndpointCharts> endpoints = new ArrayList<>();
    for (var e : json.path("endpoints").properties()) {
      String name = e.getKey();
      List<EndpointMoment> visible = runtime.sageMaker().visibleHistory(name);
      List<RunRecorder.FleetSample> fleet = recorder.fleets().getOrDefault(name, List.of());
      MetricSeries metrics = new MetricSeries(runtime.cloudWatch(), name, t0, end, period);
      List<String> variants = recorder.variants(name);
      endpoints.add(new EndpointCharts(name, weights(visible, variants, t0), status(visible, t0, end),
          fleet(fleet, variants, recorder.priorities(name), true), fleet(fleet, variants, recorder.priorities(name), false), metrics.errorRate(false), metrics.errorRate(true),
          metrics.p99(false), metrics.p99(true), recorder.models(name), recorder.priorities(name), e.getValue()));
    }
    return new ReportData(scenario.name(), scenario.description(), end, json.path("wallMillis").asLong(),
        json.path("finished").asBoolean(), runs, rollbacks, endpoints, alarms(runtime, recorder, t0, end),
        Markers.collect(scenario, runtime, rollbacks), report.timeline(), period);
  }

  /**
   * Each variant's share of the endpoint's total CurrentWeight, in percent, as DescribeEndpoint
   * showed it; variants in {@code order} (the baseline first), any other after them by name.
   */
  static List<Series> weights(List<EndpointMoment> visible, List<String> order, Instant t0) {
    Set<String> seen = new java.util.TreeSet<>();
    visible.forEach(m -> seen.addAll(m.currentWeights().keySet()));
    List<String> variants = new ArrayList<>(order.stream().filter(seen::contains).toList());
    seen.stream().filter(v -> !variants.contains(v)).forEach(variants::add);
    List<Series> out = new ArrayList<>();
    for (String v : variants) {
      List<Point> points = new ArrayList<>();
      for (EndpointMoment m : visible) {
        double total = m.currentWeights().values().stream().mapToDouble(Double::doubleValue).sum();
        Double w = m.currentWeights().get(v);
        points.add(new Point(seconds(t0, m.at()), w == null || total <= 0 ? Double.NaN : 100 * w / total));
      }
      out.add(new Series(v, v, null, dedupe(points), true));
    }
    return out;
  }

  /** The endpoint's status over time, one band per stretch, with the config and traffic split in its title. */
  static List<Band> status(List<EndpointMoment> visible, Instant t0, double end) {
    List<Band> out = new ArrayList<>();
    for (int i = 0; i < visible.size(); i++) {
      EndpointMoment m = visible.get(i);
      double from = seconds(t0, m.at());
      int j = i;
      while (j + 1 < visible.size() && visible.get(j + 1).status().equals(m.status())) {
        j++;
      }
      double to = j + 1 < visible.size() ? seconds(t0, visible.get(j + 1).at()) : end;
      StringBuilder share = new StringBuilder();
      new java.util.TreeMap<>(visible.get(j).trafficShare()).forEach((version, s) -> share.append(share.isEmpty() ? "" : ", ")
          .append(shortVersion(version)).append(' ').append(Math.round(s * 100)).append('%'));
      out.add(new Band(from, to, m.status(), m.status() + " " + TimelineLine.clock(from) + " to " + TimelineLine.clock(to)
          + " on " + visible.get(j).configName() + (share.isEmpty() ? "" : "; traffic: " + share)));
      i = j;
    }
    return out;
  }

  /**
   * One series per variant and instance type: instances in service, or all instances holding
   * capacity. A series starts when its first instance appears (no line at zero before it existed)
   * and the series are in {@code variants}' order (the baseline first), then by pool priority.
   */
  static List<Series> fleet(List<RunRecorder.FleetSample> samples, List<String> variants, Map<String, Integer> priorities,
      boolean serving) {
    Set<RunRecorder.FleetKey> keys = new LinkedHashSet<>();
    samples.forEach(s -> keys.addAll(s.held().keySet()));
    List<RunRecorder.FleetKey> ordered = keys.stream().sorted(java.util.Comparator
        .comparingInt((RunRecorder.FleetKey k) -> variants.contains(k.variant()) ? variants.indexOf(k.variant()) : variants.size())
        .thenComparing(RunRecorder.FleetKey::variant)
        .thenComparingInt(k -> priorities.getOrDefault(k.instanceType(), 0))
        .thenComparing(RunRecorder.FleetKey::instanceType)).toList();
    List<Series> out = new ArrayList<>();
    for (RunRecorder.FleetKey k : ordered) {
      List<Point> points = new ArrayList<>();
      boolean existed = false;
      for (RunRecorder.FleetSample s : samples) {
        existed |= s.held().containsKey(k);
        points.add(new Point(s.atSeconds(), existed ? (serving ? s.serving() : s.held()).getOrDefault(k, 0) : Double.NaN));
      }
      out.add(new Series(k.variant() + " · " + k.instanceType(), k.variant(), k.instanceType(), dedupe(points), true));
    }
    return out;
  }

  /** Each alarm's states from its creation to its deletion (or the end), from CloudWatch's transitions. */
  static List<AlarmRow> alarms(LocalRuntime runtime, RunRecorder recorder, Instant t0, double end) {
    List<AlarmTransition> transitions = runtime.cloudWatch().transitions();
    Map<String, List<Band>> rows = new LinkedHashMap<>();
    for (RunRecorder.AlarmLife life : recorder.alarms()) {
      double until = life.deletedAtSeconds() != null ? life.deletedAtSeconds() : end;
      List<AlarmTransition> mine = transitions.stream().filter(t -> t.alarmName().equals(life.name())
          && seconds(t0, t.at()) >= life.createdAtSeconds() && seconds(t0, t.at()) <= until).toList();
      // A new alarm starts in INSUFFICIENT_DATA until its first evaluation.
      String state = mine.isEmpty() ? AlarmStateValue.INSUFFICIENT_DATA.name() : mine.get(0).from().name();
      String reason = "created " + TimelineLine.clock(life.createdAtSeconds());
      double from = life.createdAtSeconds();
      List<Band> bands = rows.computeIfAbsent(life.name(), k -> new ArrayList<>());
      for (AlarmTransition t : mine) {
        double at = seconds(t0, t.at());
        bands.add(alarmBand(life.name(), from, at, state, reason));
        from = at;
        state = t.to().name();
        reason = t.reason();
      }
      bands.add(alarmBand(life.name(), from, until, state, reason
          + (life.deletedAtSeconds() != null ? " (alarm deleted " + TimelineLine.clock(until) + ")" : "")));
    }
    return rows.entrySet().stream().map(e -> new AlarmRow(e.getKey(),
        e.getValue().stream().filter(b -> b.to() > b.from()).toList())).toList();
  }

  private static Band alarmBand(String name, double from, double to, String state, String reason) {
    return new Band(from, to, state, name + ": " + state + " " + TimelineLine.clock(from) + " to " + TimelineLine.clock(to)
        + (reason == null || reason.isEmpty() ? "" : " — " + reason));
  }

  /** Drops points that repeat the previous value (a step series needs only its changes). */
  private static List<Point> dedupe(List<Point> points) {
    List<Point> out = new ArrayList<>();
    for (Point p : points) {
      Point last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.t() == p.t()) {
        out.set(out.size() - 1, p);
      } else if (last == null || Double.compare(last.v(), p.v()) != 0) {
        out.add(p);
      }
    }
    return out;
  }

  /** {@code fraud-scoring/2} for a model package ARN, {@code model:<name>} as it is. */
  static String shortVersion(String version) {
    int i = version.indexOf(":model-package/");
    return i < 0 ? version : version.substring(i + ":model-package/".length());
  }

  private static Double num(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asDouble() : null;
  }

  static double seconds(Instant t0, Instant t) {
    return Duration.between(t0, t).toMillis() / 1000.0;
  }
}
