package dev.poolshift.local.cloudwatch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.http.Paging;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.aws.InjectedErrors;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.cloudwatch.AlarmEvaluation.Operator;
import dev.poolshift.local.cloudwatch.AlarmEvaluation.Rule;
import dev.poolshift.local.cloudwatch.AlarmEvaluation.Treatment;
import dev.poolshift.local.cloudwatch.AlarmEvaluation.Verdict;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The local CloudWatch: the metric store, metric alarms evaluated on the simulation's clock, and
 * the "CloudWatch Alarm State Change" events they emit.
 *
 * <p>Alarms follow the CloudWatch User Guide: created in INSUFFICIENT_DATA ("Unchecked: Initial
 * alarm creation"); evaluated every period for high-resolution periods (10, 20, 30 s) and every
 * minute otherwise, each time over the periods that ended at that evaluation's boundary (a
 * sliding window for periods longer than a minute); M-of-N with the missing-data rules in {@link
 * AlarmEvaluation}. An evaluation runs {@link #EVALUATION_OFFSET} after its boundary (the guide's
 * event example queries at 12:20:05 for the periods up to 12:20:00), so a datapoint published less
 * than that after its period ends is seen by the first evaluation that covers it. A new alarm is
 * first evaluated at the next such instant. Updating an alarm keeps its state (API:PutMetricAlarm);
 * SetAlarmState holds until the next evaluation.
 *
 * <p>Alarm actions (SNS, Auto Scaling, EC2) are stored and shown but never executed; composite
 * and anomaly-detection alarms are not supported and are rejected when created.
 *
 * <p>Every method may be called from any thread; events are published outside the lock.
 */
public final class CloudWatch {
  /** How long after a period boundary alarms are evaluated. */
  public static final Duration EVALUATION_OFFSET = Duration.ofSeconds(5);
  static final String DETAIL_TYPE = "CloudWatch Alarm State Change";
  static final String SOURCE = "aws.cloudwatch";
  static final String INITIAL_REASON = "Unchecked: Initial alarm creation";
  /** Event and reason-data time stamps: {@code 2026-06-01T12:20:05.115+0000}. */
  static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
      .withZone(ZoneOffset.UTC);
  /** Datapoint times in state reasons: {@code 01/06/26 12:18:00}. */
  private static final DateTimeFormatter REASON_TIME = DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private static final Set<String> OPERATORS = Set.of("GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
      "LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold",
      "LessThanLowerThreshold", "GreaterThanUpperThreshold");
  private static final int MAX_LIST_METRICS = 500;

  private final Simulation sim;
  private final EventPublisher events;
  private final AwsContext aws;
  private final MetricStore store = new MetricStore();
  private final InjectedErrors faults = new InjectedErrors();
  private final TreeMap<String, Alarm> alarms = new TreeMap<>();
  private final List<AlarmTransition> transitions = new ArrayList<>();
  /** Transitions not yet told to the listeners (they are told outside this object's lock). */
  private final List<AlarmTransition> unannounced = new ArrayList<>();
  private final List<Consumer<AlarmTransition>> transitionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long evaluations;
  private final dev.poolshift.local.sim.WakeUp wakeUp;
  private boolean closed;
  private final Dashboards dashboards;

  public CloudWatch(Simulation sim, EventPublisher events, AwsContext aws) {
    this.sim = sim;
    this.wakeUp = new dev.poolshift.local.sim.WakeUp(sim, "cloudwatch-alarms", this::evaluateDue);
    this.events = events;
    this.aws = aws;
    this.dashboards = new Dashboards(aws);
  }

  /** The account's dashboards. */
  public Dashboards dashboards() {
    return dashboards;
  }

  /** Errors the API answers on purpose (wire calls only), e.g. AccessDenied on DescribeAlarms. */
  public InjectedErrors faults() {
    return faults;
  }

  public Simulation simulation() {
    return sim;
  }

  public AwsContext aws() {
    return aws;
  }

  /**
   * Tells {@code listener} of every alarm state change from now on, after its event is published,
   * outside CloudWatch's lock (a rehearsal's timeline entry may wait for an alarm to go to ALARM).
   */
  public void onTransition(Consumer<AlarmTransition> listener) {
    transitionListeners.add(listener);
  }

  private void announce() {
    List<AlarmTransition> told;
    synchronized (this) {
      told = List.copyOf(unannounced);
      unannounced.clear();
    }
    told.forEach(t -> transitionListeners.forEach(l -> l.accept(t)));
  }

  /** The metric store (the traffic model publishes into it; tests may read or write it directly). */
  public MetricStore metrics() {
    return store;
  }

  // ---------------------------------------------------------------- alarms

  /** An alarm's compiled configuration. */
  private record Compiled(QueryPlan plan, String returnId, boolean math, int period, int evaluationPeriods,
      int datapointsToAlarm, Operator operator, double threshold, Treatment treatment, Statistic statistic,
      boolean ignoreLowSamples) {}

  private static final class Alarm {
    AlarmDefinition definition;
    Compiled compiled;
    final String arn;
    Instant configurationUpdated;
    AlarmStateValue state = AlarmStateValue.INSUFFICIENT_DATA;
    String reason = INITIAL_REASON;
    String reasonData;
    Instant stateUpdated;
    Instant stateTransitioned;
    Instant nextEvaluation;
    long evaluations;

    Alarm(String arn) {
      this.arn = arn;
    }

    AlarmSnapshot snapshot() {
      return new AlarmSnapshot(definition, arn, configurationUpdated, state, reason, reasonData, stateUpdated,
          stateTransitioned, evaluations);
    }
  }

  /**
   * PutMetricAlarm: validates like CloudWatch ({@code ValidationError}) and creates the alarm in
   * INSUFFICIENT_DATA, or replaces the configuration of an existing one and keeps its state.
   */
  public void putMetricAlarm(AlarmDefinition definition) {
    Compiled compiled = compile(definition);
    synchronized (this) {
      Instant now = sim.now();
      Alarm alarm = alarms.get(definition.alarmName());
      if (alarm == null) {
        alarm = new Alarm(aws.arn("cloudwatch", "alarm:" + definition.alarmName()));
        alarm.stateUpdated = now;
        alarm.stateTransitioned = now;
        alarms.put(definition.alarmName(), alarm);
      } else {
        // Tags are ignored when an existing alarm is updated (API:PutMetricAlarm).
        definition = withTags(definition, alarm.definition.tags());
      }
      alarm.definition = definition;
      alarm.compiled = compiled;
      alarm.configurationUpdated = now;
      alarm.nextEvaluation = firstEvaluationAfter(now, compiled.period());
      reschedule();
    }
  }

  private static AlarmDefinition withTags(AlarmDefinition d, Map<String, String> tags) {
    return new AlarmDefinition(d.alarmName(), d.alarmDescription(), d.actionsEnabled(), d.okActions(),
        d.alarmActions(), d.insufficientDataActions(), d.metricName(), d.namespace(), d.dimensions(), d.statistic(),
        d.extendedStatistic(), d.period(), d.unit(), d.evaluationPeriods(), d.datapointsToAlarm(), d.threshold(),
        d.comparisonOperator(), d.treatMissingData(), d.evaluateLowSampleCountPercentile(), d.metrics(),
        d.thresholdMetricId(), tags);
  }

  /** Every alarm, sorted by name. */
  public synchronized List<AlarmSnapshot> alarms() {
    return alarms.values().stream().map(Alarm::snapshot).toList();
  }

  public synchronized Optional<AlarmSnapshot> alarm(String name) {
    return Optional.ofNullable(alarms.get(name)).map(Alarm::snapshot);
  }

  /** DeleteAlarms: all or nothing; an unknown name is {@code ResourceNotFound} and deletes none. */
  public void deleteAlarms(List<String> names) {
    if (names.size() > 100) {
      throw Validation.constraint("alarmNames", names.size() + " names", "Member must have length less than or equal to 100");
    }
    synchronized (this) {
      List<String> missing = names.stream().filter(n -> !alarms.containsKey(n)).toList();
      if (!missing.isEmpty()) {
        // Harsher reading of the model, which lists ResourceNotFound for DeleteAlarms: fail, delete nothing.
        throw new AwsServiceException(404, "ResourceNotFound", missing.size() + " of the alarms to delete do not "
            + "exist: " + missing);
      }
      names.forEach(alarms::remove);
      reschedule();
    }
  }

  /**
   * SetAlarmState: sets the state until the next evaluation. A change of state publishes the event
   * like any transition; setting the current state again only replaces the reason.
   */
  public void setAlarmState(String name, AlarmStateValue state, String reason, String reasonData) {
    Validation.required("alarmName", name);
    Validation.required("stateValue", state);
    Validation.required("stateReason", reason);
    Validation.length("stateReason", reason, 0, 1023);
    Validation.length("stateReasonData", reasonData, 0, 4000);
    if (reasonData != null && !reasonData.isEmpty()) {
      try {
        LocalJson.MAPPER.readTree(reasonData);
      } catch (Exception e) {
        throw AwsServiceException.client("InvalidFormat", "Invalid JSON in StateReasonData: " + reasonData);
      }
    }
    ServiceEvent event;
    synchronized (this) {
      Alarm alarm = alarms.get(name);
      if (alarm == null) {
        throw new AwsServiceException(404, "ResourceNotFound", "Alarm " + name + " does not exist");
      }
      event = transition(alarm, state, reason, reasonData == null || reasonData.isEmpty() ? null : reasonData,
          sim.now());
    }
    publish(event);
    announce();
  }

  /** DescribeAlarmsForMetric: alarms watching {@code metric}, narrowed by the optional filters. */
  public synchronized List<AlarmSnapshot> alarmsForMetric(MetricKey metric, String statistic, String extendedStatistic,
      Integer period, String unit) {
    List<AlarmSnapshot> result = new ArrayList<>();
    for (Alarm a : alarms.values()) {
      for (QueryPlan.Query q : a.compiled.plan().queries()) {
        if (q.isMetric() && q.metric().equals(metric)
            && (statistic == null || statistic.equals(q.stat().name()))
            && (extendedStatistic == null || extendedStatistic.equals(q.stat().name()))
            && (period == null || period == q.period())
            && (unit == null || unit.equals(q.unit()))) {
          result.add(a.snapshot());
          break;
        }
      }
    }
    return result;
  }

  // ---------------------------------------------------------------- validation

  private Compiled compile(AlarmDefinition d) {
    String name = Validation.required("alarmName", d.alarmName());
    Validation.length("alarmName", name, 1, 255);
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
      throw Validation.error("Alarm names must contain only ASCII characters.");
    }
    Validation.length("alarmDescription", d.alarmDescription(), 0, 1024);
    int n = Validation.required("evaluationPeriods", d.evaluationPeriods());
    Validation.atLeast("evaluationPeriods", n, 1);
    Validation.atLeast("datapointsToAlarm", d.datapointsToAlarm(), 1);
    String op = Validation.required("comparisonOperator", d.comparisonOperator());
    Validation.oneOf("comparisonOperator", op, OPERATORS);
    if (d.thresholdMetricId() != null || op.contains("Lower") || op.contains("Upper")) {
      throw Validation.error("Anomaly detection alarms (ThresholdMetricId, " + op + ") are not supported by the local "
          + "CloudWatch.");
    }
    double threshold = Validation.required("threshold", d.threshold());
    Treatment treatment = d.treatMissingData() == null ? Treatment.MISSING
        : AlarmEvaluation.Treatment.parse(d.treatMissingData()).orElseThrow(() -> Validation.error("Option "
            + d.treatMissingData() + " is not supported. Supported options for parameter TreatMissingData are: "
            + "missing, ignore, breaching, notBreaching."));
    String lowSamples = d.evaluateLowSampleCountPercentile();
    if (lowSamples != null && !lowSamples.isEmpty() && !lowSamples.equals("evaluate") && !lowSamples.equals("ignore")) {
      throw Validation.error("Option " + lowSamples + " is not supported. Supported options for parameter "
          + "EvaluateLowSampleCountPercentile are: evaluate, ignore.");
    }
    int m = d.datapointsToAlarm() == null ? n : d.datapointsToAlarm();
    if (m > n) {
      throw Validation.error("DatapointsToAlarm must be less than or equal to EvaluationPeriods");
    }

    QueryPlan plan;
    String returnId;
    int period;
    Statistic statistic = null;
    boolean math = d.metrics() != null;
    if (math) {
      for (var field : new Object[][] {{"MetricName", d.metricName()}, {"Namespace", d.namespace()},
          {"Dimensions", d.dimensions()}, {"Period", d.period()}, {"Unit", d.unit()}, {"Statistic", d.statistic()},
          {"ExtendedStatistic", d.extendedStatistic()}}) {
        if (field[1] != null) {
          throw Validation.error(field[0] + " should not be set if list of Metrics is set.");
        }
      }
      plan = QueryPlan.compile("Metrics", d.metrics(), true);
      returnId = plan.returned().get(0).id();
      List<Integer> periods = plan.metricPeriods();
      if (periods.size() > 1) {
        // Unconfirmed whether CloudWatch accepts inputs of different periods; the local one refuses
        // rather than guess how it would align them.
        throw Validation.error("The metrics of a metric math alarm must all have the same period (got " + periods
            + "); the local CloudWatch does not align different periods.");
      }
      Integer expressionPeriod = plan.query(returnId).expressionPeriod();
      period = !periods.isEmpty() ? periods.get(0)
          : Validation.required("Metrics.member.Period", expressionPeriod);
      if (!Validation.validAlarmPeriod(period)) {
        throw Validation.error("Period must be 10, 20, 30 or a multiple of 60");
      }
    } else {
      String metricName = Validation.required("metricName", d.metricName());
      Validation.length("metricName", metricName, 1, 255);
      String namespace = Validation.required("namespace", d.namespace());
      Validation.length("namespace", namespace, 1, 255);
      period = Validation.required("period", d.period());
      if (!Validation.validAlarmPeriod(period)) {
        throw Validation.error("Period must be 10, 20, 30 or a multiple of 60");
      }
      if ((d.statistic() == null) == (d.extendedStatistic() == null)) {
        throw Validation.error(d.statistic() == null
            ? "One of Statistic or ExtendedStatistic must be set."
            : "Statistic and ExtendedStatistic cannot both be set.");
      }
      if (d.statistic() != null) {
        Validation.oneOf("statistic", d.statistic(), Statistic.SIMPLE);
        statistic = Statistic.parse(d.statistic()).orElseThrow();
      } else {
        statistic = Statistic.parse(d.extendedStatistic()).filter(s -> !s.isSimple())
            .orElseThrow(() -> Validation.error("The value " + d.extendedStatistic() + " for parameter "
                + "ExtendedStatistic is invalid."));
      }
      Validation.oneOf("unit", d.unit(), QueryPlan.UNITS);
      List<MetricKey.Dimension> dims = d.dimensions() == null ? List.of() : d.dimensions();
      if (dims.size() > 30) {
        throw Validation.constraint("dimensions", dims.size() + " dimensions", "Member must have length less than or equal to 30");
      }
      for (int i = 0; i < dims.size(); i++) {
        Validation.length("dimensions." + (i + 1) + ".member.name", dims.get(i).name(), 1, 255);
        Validation.length("dimensions." + (i + 1) + ".member.value", dims.get(i).value(), 1, 1024);
      }
      returnId = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
      plan = QueryPlan.single(returnId, new MetricKey(namespace, metricName, dims), period, statistic, d.unit());
    }
    long total = (long) period * n;
    if ((period < 3600 && total > 86_400) || total > 604_800) {
      throw Validation.error("The evaluation period (Period x EvaluationPeriods = " + total + " seconds) must not "
          + "exceed " + (period < 3600 ? "one day (86400 seconds) for periods under an hour." : "seven days (604800 "
          + "seconds)."));
    }
    return new Compiled(plan, returnId, math, period, n, m, Operator.valueOf(op), threshold, treatment, statistic,
        "ignore".equals(lowSamples));
  }

  // ---------------------------------------------------------------- evaluation schedule

  /** Alarms with periods under a minute evaluate every period, the others every minute. */
  private static long evaluationInterval(int period) {
    return period < 60 ? period : 60;
  }

  private static Instant firstEvaluationAfter(Instant now, int period) {
    long interval = evaluationInterval(period);
    long offset = EVALUATION_OFFSET.getSeconds();
    long boundary = Math.floorDiv(now.getEpochSecond() - offset, interval) * interval;
    Instant next = Instant.ofEpochSecond(boundary + offset);
    while (!next.isAfter(now)) {
      next = next.plusSeconds(interval);
    }
    return next;
  }

  /** Keeps one simulation timer at the earliest pending evaluation; none when there are no alarms. */
  private void reschedule() {
    if (closed) {
      return;
    }
    Instant earliest = alarms.values().stream().map(a -> a.nextEvaluation).min(Instant::compareTo).orElse(null);
    wakeUp.at(earliest);
  }

  /** Below this many due alarms the readings are taken one after the other. */
  private static final int PARALLEL_READINGS = 32;

  private void evaluateDue() {
    List<ServiceEvent> emitted = new ArrayList<>();
    synchronized (this) {
      Instant now = sim.now();
      List<Alarm> due = new ArrayList<>();
      for (Alarm alarm : alarms.values()) {
        if (!alarm.nextEvaluation.isAfter(now)) {
          due.add(alarm);
        }
      }
      // Reading the data is most of an evaluation and touches nothing but the metric store, so a
      // fleet's alarms read in parallel; their states change one after the other, in name order.
      List<Reading> readings = (due.size() < PARALLEL_READINGS ? due.stream() : due.parallelStream())
          .map(alarm -> read(alarm, alarm.nextEvaluation.minus(EVALUATION_OFFSET), now)).toList();
      for (int i = 0; i < due.size(); i++) {
        Alarm alarm = due.get(i);
        ServiceEvent e = apply(alarm, readings.get(i), now);
        if (e != null) {
          emitted.add(e);
        }
        alarm.nextEvaluation = alarm.nextEvaluation.plusSeconds(evaluationInterval(alarm.compiled.period()));
      }
      reschedule();
    }
    emitted.forEach(this::publish);
    announce();
  }

  /** What one evaluation read: the periods' values, the verdict on them and their sample counts. */
  private record Reading(long[] grid, double[] range, Verdict verdict, Map<Long, Double> samples) {}

  /** Reads the periods ending at {@code boundary} and judges them; changes nothing. */
  private Reading read(Alarm alarm, Instant boundary, Instant now) {
    Compiled c = alarm.compiled;
    int rangeSize = AlarmEvaluation.rangeSize(c.evaluationPeriods());
    long[] grid = new long[rangeSize];
    for (int i = 0; i < rangeSize; i++) {
      grid[i] = boundary.getEpochSecond() - (long) (rangeSize - i) * c.period();
    }
    QueryPlan.Result result = c.plan().evaluate(store, now, null, q -> grid, grid, c.period());
    MetricMath.Series series = ((MetricMath.SeriesValue) result.values().get(c.returnId())).series();
    double[] range = new double[rangeSize];
    Arrays.fill(range, Double.NaN);
    for (int i = 0; i < rangeSize; i++) {
      int idx = series.indexOf(grid[i]);
      if (idx >= 0) {
        range[i] = series.values()[idx];
      }
    }
    Verdict verdict = AlarmEvaluation.evaluate(range, c.evaluationPeriods(), c.datapointsToAlarm(), c.operator(),
        c.threshold(), c.treatment());
    Map<Long, Double> samples = c.math() ? Map.of() : result.sampleCounts().getOrDefault(c.returnId(), Map.of());
    return new Reading(grid, range, verdict, samples);
  }

  /** Counts the evaluation and applies its verdict; returns the event of a transition. */
  private ServiceEvent apply(Alarm alarm, Reading reading, Instant now) {
    Compiled c = alarm.compiled;
    long[] grid = reading.grid();
    double[] range = reading.range();
    Verdict verdict = reading.verdict();
    Map<Long, Double> samples = reading.samples();
    alarm.evaluations++;
    evaluations++;
    if (c.ignoreLowSamples() && c.statistic() != null && c.statistic().percentile().isPresent()) {
      double p = c.statistic().percentile().get() / 100.0;
      double minimum = p >= 0.5 ? 10 / (1 - p) : 10 / p;
      for (int i : verdict.evaluated()) {
        if (samples.getOrDefault(grid[i], 0.0) < minimum) {
          // EvaluateLowSampleCountPercentile=ignore: too few samples to be significant, keep the state.
          return null;
        }
      }
    }
    AlarmStateValue next = verdict.state().orElse(alarm.state);
    if (next == alarm.state) {
      return null;
    }
    String reason = reason(c, verdict, range, grid, next);
    String reasonData = reasonData(c, verdict, range, grid, samples, now);
    return transition(alarm, next, reason, reasonData, now);
  }

  /** Applies a state change (no-op apart from the reason when the state is unchanged); returns its event. */
  private ServiceEvent transition(Alarm alarm, AlarmStateValue next, String reason, String reasonData, Instant now) {
    AlarmStateValue previous = alarm.state;
    String previousReason = alarm.reason;
    String previousReasonData = alarm.reasonData;
    Instant previousUpdated = alarm.stateUpdated;
    alarm.reason = reason;
    alarm.reasonData = reasonData;
    alarm.stateUpdated = now;
    if (next == previous) {
      return null;
    }
    alarm.state = next;
    alarm.stateTransitioned = now;
    AlarmTransition change = new AlarmTransition(alarm.definition.alarmName(), now, previous, next, reason);
    transitions.add(change);
    unannounced.add(change);
    ObjectNode detail = LocalJson.object();
    detail.put("alarmName", alarm.definition.alarmName());
    ObjectNode state = detail.putObject("state");
    state.put("value", next.name());
    state.put("reason", reason);
    if (reasonData != null) {
      state.put("reasonData", reasonData);
    }
    state.put("timestamp", EVENT_TIME.format(now));
    ObjectNode prev = detail.putObject("previousState");
    prev.put("value", previous.name());
    prev.put("reason", previousReason);
    if (previousReasonData != null) {
      prev.put("reasonData", previousReasonData);
    }
    prev.put("timestamp", EVENT_TIME.format(previousUpdated));
    ObjectNode configuration = detail.putObject("configuration");
    if (alarm.definition.alarmDescription() != null) {
      configuration.put("description", alarm.definition.alarmDescription());
    }
    configuration.set("metrics", eventMetrics(alarm.compiled));
    return new ServiceEvent(SOURCE, DETAIL_TYPE, List.of(alarm.arn), detail);
  }

  /** {@code configuration.metrics}: lowercase keys, dimensions as an object, the returned query first. */
  private static ArrayNode eventMetrics(Compiled c) {
    ArrayNode metrics = LocalJson.MAPPER.createArrayNode();
    List<QueryPlan.Query> ordered = new ArrayList<>(c.plan().queries());
    ordered.sort((a, b) -> Boolean.compare(b.returnData(), a.returnData()));
    for (QueryPlan.Query q : ordered) {
      ObjectNode m = metrics.addObject();
      m.put("id", q.id());
      if (q.isMetric()) {
        ObjectNode stat = m.putObject("metricStat");
        ObjectNode metric = stat.putObject("metric");
        metric.put("namespace", q.metric().namespace());
        metric.put("name", q.metric().metricName());
        ObjectNode dims = metric.putObject("dimensions");
        q.metric().dimensionMap().forEach(dims::put);
        stat.put("period", q.period());
        stat.put("stat", q.stat().name());
        if (q.unit() != null) {
          stat.put("unit", q.unit());
        }
      } else {
        m.put("expression", q.expression());
      }
      if (q.label() != null) {
        m.put("label", q.label());
      }
      m.put("returnData", q.returnData());
    }
    return metrics;
  }

  private static String reason(Compiled c, Verdict v, double[] range, long[] grid, AlarmStateValue next) {
    int n = c.evaluationPeriods();
    if (v.rule() == Rule.ALL_MISSING) {
      if (next == AlarmStateValue.INSUFFICIENT_DATA) {
        return "Insufficient Data: " + n + " datapoint" + (n == 1 ? " was" : "s were") + " unknown.";
      }
      return "Threshold Crossed: no datapoints were received for " + n + " period" + (n == 1 ? "" : "s") + " and "
          + n + " missing datapoint" + (n == 1 ? " was" : "s were") + " treated as ["
          + (c.treatment() == Treatment.BREACHING ? "Breaching" : "NonBreaching") + "].";
    }
    List<Integer> breaching = new ArrayList<>();
    for (int i = v.evaluated().size() - 1; i >= 0; i--) {
      int idx = v.evaluated().get(i);
      if (c.operator().breaches(range[idx], c.threshold())) {
        breaching.add(idx);
      }
    }
    String threshold = " the threshold (" + c.threshold() + ").";
    String filledNote = v.filled() > 0 ? " " + v.filled() + " missing datapoint" + (v.filled() == 1 ? " was" : "s were")
        + " treated as [" + (c.treatment() == Treatment.BREACHING ? "Breaching" : "NonBreaching") + "]." : "";
    if (breaching.isEmpty()) {
      return "Threshold Crossed: no datapoints were " + c.operator().phrase + threshold + filledNote;
    }
    StringBuilder list = new StringBuilder("[");
    for (int idx : breaching) {
      if (list.length() > 1) {
        list.append(", ");
      }
      list.append(range[idx]).append(" (").append(REASON_TIME.format(Instant.ofEpochSecond(grid[idx]))).append(')');
    }
    list.append(']');
    int k = breaching.size();
    String verb = k == 1 ? " was " : " were ";
    String head;
    if (n == 1) {
      head = "Threshold Crossed: 1 datapoint " + list;
    } else if (k == n) {
      head = "Threshold Crossed: " + k + " datapoints " + list;
    } else {
      head = "Threshold Crossed: " + k + " out of the last " + n + " datapoints " + list;
    }
    String tail = next == AlarmStateValue.ALARM ? "" : " (minimum " + c.datapointsToAlarm() + " datapoint"
        + (c.datapointsToAlarm() == 1 ? "" : "s") + " for ALARM)";
    return head + verb + c.operator().phrase + threshold.substring(0, threshold.length() - 1) + tail + "." + filledNote;
  }

  private static String reasonData(Compiled c, Verdict v, double[] range, long[] grid, Map<Long, Double> samples,
      Instant now) {
    ObjectNode data = LocalJson.object();
    data.put("version", "1.0");
    data.put("queryDate", EVENT_TIME.format(now));
    if (!v.evaluated().isEmpty()) {
      data.put("startDate", EVENT_TIME.format(Instant.ofEpochSecond(grid[v.evaluated().get(0)])));
    }
    if (!c.math()) {
      data.put(c.statistic().isSimple() ? "statistic" : "extendedStatistic", c.statistic().name());
    }
    data.put("period", c.period());
    ArrayNode recent = data.putArray("recentDatapoints");
    for (int i : v.evaluated()) {
      recent.add(range[i]);
    }
    data.put("threshold", c.threshold());
    if (!v.evaluated().isEmpty()) {
      ArrayNode evaluated = data.putArray("evaluatedDatapoints");
      for (int i = v.evaluated().size() - 1; i >= 0; i--) {
        int idx = v.evaluated().get(i);
        ObjectNode point = evaluated.addObject();
        point.put("timestamp", EVENT_TIME.format(Instant.ofEpochSecond(grid[idx])));
        if (!c.math()) {
          point.put("sampleCount", samples.getOrDefault(grid[idx], 0.0));
        }
        point.put("value", range[idx]);
      }
    }
    return LocalJson.write(data);
  }

  private void publish(ServiceEvent event) {
    if (event != null) {
      events.publish(event);
    }
  }

  // ---------------------------------------------------------------- metrics API

  /** PutMetricData: validates like CloudWatch and stores the datapoints, visible at once. */
  public void putMetricData(String namespace, List<MetricDatum> data) {
    Validation.required("namespace", namespace);
    Validation.length("namespace", namespace, 1, 255);
    if (namespace.startsWith("AWS/")) {
      throw Validation.invalidParameterValue("The value " + namespace + " for parameter Namespace is invalid: "
          + "namespaces starting with AWS/ are reserved for AWS services.");
    }
    if (data.isEmpty()) {
      throw Validation.missingParameter("The parameter MetricData is required.");
    }
    if (data.size() > 1000) {
      throw Validation.constraint("metricData", data.size() + " items", "Member must have length less than or equal to 1000");
    }
    Instant now = sim.now();
    record Pending(MetricKey key, Instant timestamp, int resolution, String unit, Distribution distribution) {}
    List<Pending> pending = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      MetricDatum d = data.get(i);
      String path = "MetricData.member." + (i + 1);
      Validation.required(path + ".MetricName", d.metricName());
      Validation.length(path + ".MetricName", d.metricName(), 1, 255);
      if (d.dimensions().size() > 30) {
        throw Validation.invalidParameterValue("The collection " + path + ".Dimensions must not have a size greater than 30.");
      }
      Validation.oneOf(path + ".Unit", d.unit(), QueryPlan.UNITS);
      int resolution = d.storageResolution() == null ? 60 : d.storageResolution();
      if (resolution != 1 && resolution != 60) {
        throw Validation.invalidParameterValue("The value " + resolution + " for parameter " + path
            + ".StorageResolution is invalid: it must be 1 or 60.");
      }
      Instant timestamp = d.timestamp() == null ? now : d.timestamp();
      if (timestamp.isBefore(now.minus(Duration.ofDays(14))) || timestamp.isAfter(now.plus(Duration.ofHours(2)))) {
        throw Validation.invalidParameterValue("The parameter " + path + ".Timestamp must specify a time no more than "
            + "two weeks in the past and no more than two hours in the future.");
      }
      int given = (d.value() != null ? 1 : 0) + (d.statisticValues() != null ? 1 : 0) + (d.values().isEmpty() ? 0 : 1);
      if (given > 1) {
        throw Validation.invalidParameterCombination("The parameters " + path + ".Value, " + path
            + ".StatisticValues and " + path + ".Values are mutually exclusive and you have specified more than one.");
      }
      if (given == 0) {
        throw Validation.missingParameter("One of the parameters " + path + ".Value, " + path + ".StatisticValues or "
            + path + ".Values is required.");
      }
      pending.add(new Pending(new MetricKey(namespace, d.metricName(), d.dimensions()), timestamp, resolution, d.unit(),
          distribution(path, d)));
    }
    for (Pending p : pending) {
      store.put(p.key(), p.timestamp(), p.resolution(), now, p.unit(), p.distribution());
    }
  }

  private static Distribution distribution(String path, MetricDatum d) {
    if (d.value() != null) {
      return Distribution.ofValue(finite(path + ".Value", d.value()));
    }
    if (d.statisticValues() != null) {
      MetricDatum.StatisticSet s = d.statisticValues();
      double count = finite(path + ".StatisticValues.SampleCount", Validation.required(path + ".StatisticValues.SampleCount", s.sampleCount()));
      double sum = finite(path + ".StatisticValues.Sum", Validation.required(path + ".StatisticValues.Sum", s.sum()));
      double min = finite(path + ".StatisticValues.Minimum", Validation.required(path + ".StatisticValues.Minimum", s.minimum()));
      double max = finite(path + ".StatisticValues.Maximum", Validation.required(path + ".StatisticValues.Maximum", s.maximum()));
      if (!(count > 0) || min > max) {
        throw Validation.invalidParameterValue("The parameter " + path + ".StatisticValues is invalid: SampleCount "
            + "must be positive and Minimum must not exceed Maximum.");
      }
      return Distribution.ofStatisticSet(count, sum, min, max);
    }
    if (d.values().size() > 150) {
      throw Validation.invalidParameterValue("The collection " + path + ".Values must not have a size greater than 150.");
    }
    if (!d.counts().isEmpty() && d.counts().size() != d.values().size()) {
      throw Validation.invalidParameterValue("The parameters " + path + ".Values and " + path + ".Counts must be of the "
          + "same size.");
    }
    double[] values = new double[d.values().size()];
    double[] counts = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = finite(path + ".Values.member." + (i + 1), d.values().get(i));
      counts[i] = d.counts().isEmpty() ? 1 : finite(path + ".Counts.member." + (i + 1), d.counts().get(i));
      if (counts[i] < 0) {
        throw Validation.invalidParameterValue("The value " + counts[i] + " for parameter " + path + ".Counts.member."
            + (i + 1) + " is invalid: counts must not be negative.");
      }
    }
    try {
      return Distribution.ofValues(values, counts);
    } catch (IllegalArgumentException e) {
      throw Validation.invalidParameterValue("The parameter " + path + ".Counts is invalid: " + e.getMessage());
    }
  }

  private static double finite(String member, Double value) {
    if (value == null || !Double.isFinite(value)) {
      throw Validation.invalidParameterValue("The value " + value + " for parameter " + member + " is invalid.");
    }
    return value;
  }

  /** GetMetricData's answer: returned series, and a token when more datapoints remain. */
  public record MetricDataPage(List<MetricDataResult> results, String nextToken) {}

  /**
   * GetMetricData: every query that returns data, over {@code [start, end)} with StartTime rounded
   * down as CloudWatch rounds it (to the minute for periods of a minute or more, to the period for
   * shorter ones); a last period that would run past EndTime holds only the data before it.
   * Expressions are computed on the largest period of the request's metrics.
   * Datapoints are paged in result order, {@code maxDatapoints} at a time.
   */
  public MetricDataPage getMetricData(List<MetricDataQuery> queries, Instant start, Instant end, boolean ascending,
      Integer maxDatapoints, String nextToken) {
    Validation.required("metricDataQueries", queries);
    if (queries.size() > 500) {
      throw Validation.constraint("metricDataQueries", queries.size() + " queries", "Member must have length less than or equal to 500");
    }
    Validation.required("startTime", start);
    Validation.required("endTime", end);
    if (!start.isBefore(end)) {
      throw Validation.error("The parameter StartTime must be less than the parameter EndTime.");
    }
    int max = maxDatapoints == null ? 100_800 : maxDatapoints;
    Validation.atLeast("maxDatapoints", max, 1);
    int offset = decodeToken(nextToken);
    QueryPlan plan = QueryPlan.compile("MetricDataQueries", queries, false);
    Instant now = sim.now();
    long expressionPeriod = plan.queries().stream().filter(QueryPlan.Query::isMetric)
        .mapToLong(QueryPlan.Query::period).max().orElse(60);
    Map<Integer, long[]> grids = new HashMap<>();
    java.util.function.LongFunction<long[]> gridFor = p -> grids.computeIfAbsent((int) p, k -> grid(start, end, p));
    QueryPlan.Result result = plan.evaluate(store, now, end, q -> gridFor.apply(q.period()),
        gridFor.apply(expressionPeriod), expressionPeriod);

    List<MetricDataResult> full = new ArrayList<>();
    for (QueryPlan.Query q : plan.returned()) {
      MetricMath.Value value = result.values().get(q.id());
      switch (value) {
        case MetricMath.SeriesValue s -> full.add(toResult(q.id(), q.label() != null ? q.label() : s.series().label(),
            s.series(), ascending));
        case MetricMath.ArrayValue a -> a.series().forEach(s -> full.add(toResult(q.id(),
            q.label() != null ? q.label() + " " + s.label() : s.label(), s, ascending)));
        case MetricMath.Scalar s -> {
          long[] grid = gridFor.apply(expressionPeriod);
          double[] values = new double[grid.length];
          Arrays.fill(values, s.value());
          full.add(toResult(q.id(), q.displayLabel(), new MetricMath.Series(q.displayLabel(), grid,
              Double.isFinite(s.value()) ? values : new double[0]), ascending));
        }
      }
    }
    List<MetricDataResult> page = new ArrayList<>();
    int position = 0;
    boolean more = false;
    for (MetricDataResult r : full) {
      int size = r.values().size();
      int from = Math.clamp(offset - position, 0, size);
      int to = Math.clamp((long) offset + max - position, 0, size);
      boolean partial = to < size;
      more |= partial;
      page.add(new MetricDataResult(r.id(), r.label(), r.timestamps().subList(from, to), r.values().subList(from, to),
          partial ? "PartialData" : "Complete"));
      position += size;
    }
    return new MetricDataPage(page, more ? encodeToken(offset + max) : null);
  }

  private static long[] grid(Instant start, Instant end, long period) {
    long s = start.getEpochSecond();
    s = period >= 60 ? Math.floorDiv(s, 60) * 60 : Math.floorDiv(s, period) * period;
    long e = end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
    int count = (int) Math.max(0, (e - s + period - 1) / period);
    long[] grid = new long[count];
    for (int i = 0; i < count; i++) {
      grid[i] = s + i * period;
    }
    return Arrays.stream(grid).filter(t -> t < e).toArray();
  }

  private static MetricDataResult toResult(String id, String label, MetricMath.Series s, boolean ascending) {
    List<Instant> times = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      int idx = ascending ? i : s.size() - 1 - i;
      times.add(Instant.ofEpochSecond(s.times()[idx]));
      values.add(s.values()[idx]);
    }
    return new MetricDataResult(id, label, times, values, "Complete");
  }

  private static String encodeToken(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(String token) {
    if (token == null) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith("offset:")) {
        return Integer.parseInt(text.substring(7));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw AwsServiceException.client("InvalidNextToken", "The service couldn't process the NextToken " + token);
  }

  /** A ListMetrics dimension filter: a name, and optionally the value it must have. */
  public record DimensionFilter(String name, String value) {}

  /** ListMetrics' answer. */
  public record MetricsPage(List<MetricKey> metrics, String nextToken) {}

  /**
   * ListMetrics: metrics with data, filtered by namespace, name and dimensions (a metric matches
   * when it has every filtered dimension, with the value if one is given); {@code recentlyActive}
   * keeps those with data in the last three hours. 500 per page.
   */
  public MetricsPage listMetrics(String namespace, String metricName, List<DimensionFilter> filters,
      boolean recentlyActive, String nextToken) {
    if (filters.size() > 10) {
      throw Validation.constraint("dimensions", filters.size() + " filters", "Member must have length less than or equal to 10");
    }
    for (int i = 0; i < filters.size(); i++) {
      Validation.required("dimensions." + (i + 1) + ".member.name", filters.get(i).name());
    }
    Instant since = recentlyActive ? sim.now().minus(Duration.ofHours(3)) : null;
    List<MetricKey> matching = store.metrics(since).stream()
        .filter(k -> namespace == null || k.namespace().equals(namespace))
        .filter(k -> metricName == null || k.metricName().equals(metricName))
        .filter(k -> filters.stream().allMatch(f -> k.dimensions().stream()
            .anyMatch(d -> d.name().equals(f.name()) && (f.value() == null || d.value().equals(f.value())))))
        .toList();
    // The token holds the last metric returned: a metric first published between two pages
    // does not shift the next page.
    Paging.Page<MetricKey> page = Paging.page(matching, CloudWatch::listingKey, MAX_LIST_METRICS, nextToken,
        () -> CloudWatchService.invalidNextToken(nextToken));
    return new MetricsPage(page.items(), page.nextToken());
  }

  private static String listingKey(MetricKey k) {
    StringBuilder b = new StringBuilder(k.namespace()).append('\u0001').append(k.metricName());
    k.dimensions().stream().map(d -> d.name() + "\u0002" + d.value()).sorted()
        .forEach(d -> b.append('\u0001').append(d));
    return b.toString();
  }

  /** One GetMetricStatistics datapoint: a period with data, in one unit. */
  public record StatisticsDatapoint(Instant timestamp, Map<String, Double> statistics,
      Map<String, Double> extendedStatistics, String unit) {}

  /** GetMetricStatistics' answer: the metric name as label, and the datapoints oldest first. */
  public record StatisticsResult(String label, List<StatisticsDatapoint> datapoints) {}

  /** "The maximum number of data points returned from a single call is 1,440." */
  static final int MAX_STATISTICS_DATAPOINTS = 1440;

  /**
   * GetMetricStatistics: for each period of {@code [start, end)} that has data (StartTime rounded
   * down as for GetMetricData), the requested simple and extended statistics. Without a unit,
   * data published with different units gives one datapoint per unit, as CloudWatch returns it.
   */
  public StatisticsResult getMetricStatistics(MetricKey metric, Instant start, Instant end, Integer period,
      List<String> statistics, List<String> extendedStatistics, String unit) {
    Validation.required("startTime", start);
    Validation.required("endTime", end);
    Validation.required("period", period);
    if (metric.dimensions().size() > 30) {
      throw Validation.constraint("dimensions", metric.dimensions().size() + " dimensions",
          "Member must have length less than or equal to 30");
    }
    Validation.oneOf("unit", unit, QueryPlan.UNITS);
    if (statistics.isEmpty() == extendedStatistics.isEmpty()) {
      throw Validation.invalidParameterCombination(statistics.isEmpty()
          ? "Must specify either the Statistics or ExtendedStatistics parameter."
          : "The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.");
    }
    if (statistics.size() > 5) {
      throw Validation.constraint("statistics", statistics, "Member must have length less than or equal to 5");
    }
    if (extendedStatistics.size() > 10) {
      throw Validation.constraint("extendedStatistics", extendedStatistics,
          "Member must have length less than or equal to 10");
    }
    statistics.forEach(st -> Validation.oneOf("statistics", st, new java.util.TreeSet<>(Statistic.SIMPLE)));
    List<Statistic> extended = new ArrayList<>();
    for (String e : extendedStatistics) {
      Statistic parsed = Statistic.parse(e).filter(st -> !st.isSimple()).orElseThrow(() ->
          Validation.invalidParameterValue("The value " + e + " for parameter ExtendedStatistics is not supported."));
      extended.add(parsed);
    }
    if (period < 1 || !Validation.validQueryPeriod(period)) {
      throw Validation.invalidParameterValue("The parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60.");
    }
    if (!start.isBefore(end)) {
      throw Validation.invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
    }
    long[] grid = grid(start, end, period);
    if (grid.length > MAX_STATISTICS_DATAPOINTS) {
      throw Validation.invalidParameterCombination("You have requested up to " + grid.length + " datapoints, which "
          + "exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing "
          + "the time range.");
    }
    Instant now = sim.now();
    List<String> units = unit != null ? List.of(unit) : store.units(metric);
    List<StatisticsDatapoint> points = new ArrayList<>();
    for (long t : grid) {
      Instant from = Instant.ofEpochSecond(t);
      Instant to = Instant.ofEpochSecond(Math.min(t + period, end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0)));
      for (String u : units) {
        store.aggregate(metric, u, from, to, now).ifPresent(d -> {
          Map<String, Double> simple = new java.util.LinkedHashMap<>();
          for (String st : statistics) {
            simple.put(st, Statistic.parse(st).orElseThrow().apply(d));
          }
          Map<String, Double> ext = new java.util.LinkedHashMap<>();
          for (Statistic st : extended) {
            double v = st.apply(d);
            // A statistic that cannot be computed (a statistic set has no raw values) is left out.
            if (Double.isFinite(v)) {
              ext.put(st.name(), v);
            }
          }
          points.add(new StatisticsDatapoint(from, simple, ext, u));
        });
      }
    }
    return new StatisticsResult(metric.metricName(), points);
  }

  // ---------------------------------------------------------------- reporting

  /** Every alarm state change so far, in order. */
  public synchronized List<AlarmTransition> transitions() {
    return List.copyOf(transitions);
  }

  /** Number of alarm evaluations so far (all alarms). */
  public synchronized long evaluations() {
    return evaluations;
  }

  /** Number of alarm state changes so far (evaluations and SetAlarmState). */
  public synchronized long stateChanges() {
    return transitions.size();
  }

  /** Stops evaluating alarms (the simulation is ending); the data stays readable. */
  public synchronized void close() {
    closed = true;
    wakeUp.cancel();
  }
}
