package dev.poolshift.local.cloudwatch;

import dev.poolshift.local.cloudwatch.Sampling.BucketCounts;
import dev.poolshift.local.cloudwatch.TrafficScenario.ModelBehaviour;
import dev.poolshift.local.sim.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Generates the invocation metrics SageMaker publishes for the endpoints a {@link TrafficSource}
 * says are serving, on virtual time, from a seeded {@link TrafficScenario}.
 *
 * <p><b>Traffic.</b> Requests arrive as a Poisson process at the endpoint's scenario rate. A
 * variant gets its weight's share; inside a variant, requests spread evenly over its instances, so
 * instance types get shares proportional to their instance counts (the variant's routing strategy
 * is ignored: with the default random routing and equal instances the split is even on average).
 * Each period draws counts, not single requests: invocations ~ Poisson, 5xx ~ Binomial, 4xx ~
 * Binomial of the rest, and ModelLatency from the model's log-normal profile into 2% buckets (so
 * percentiles are computable after any aggregation; see {@link Sampling#lognormal}). Latency is
 * drawn for every invocation, failed ones included.
 *
 * <p><b>Metrics.</b> Namespace {@code AWS/SageMaker}: {@code Invocations}, {@code
 * Invocation5XXErrors} and {@code Invocation4XXErrors} (0/1 per request, so Average is the error
 * fraction), {@code ModelLatency} (microseconds), {@code InvocationsPerInstance} (1/n per
 * request). Dimension sets: {@code {EndpointName, VariantName}}; {@code {EndpointName,
 * VariantName, InstanceType}} for every variant (the 2026 dimension: documented for pooled
 * variants; whether single-type variants publish it is unconfirmed, we publish it); and {@code
 * {EndpointName, VariantName, EndpointConfigName}} once the endpoint has served from a second
 * endpoint config ("published once a new fleet receives traffic during a deployment, and kept
 * afterwards"), for every config from then on. A period without invocations publishes nothing
 * (an idle endpoint has missing data, which is why alarms need TreatMissingData).
 *
 * <p><b>Timing.</b> Datapoints cover the endpoint's publish period ({@link
 * TrafficSource#metricPublishSeconds}: 60 s, or 10..300 s with enhanced metrics), aligned to the
 * epoch, time-stamped with the period start, and become visible {@code publishDelay} (default
 * {@link #DEFAULT_PUBLISH_DELAY}) after the period ends. The model re-reads the source at every
 * period boundary; call {@link #servingChanged} whenever weights, instances, status or config of
 * an endpoint change (after the change is visible through the source) to attribute traffic exactly
 * from that instant. Without the call a change takes effect at the next boundary.
 *
 * <p><b>Lifecycle.</b> {@link #start()} ticks at the publish boundaries of serving endpoints only;
 * with no endpoint serving it schedules nothing (the simulation can go idle) until {@link
 * #servingChanged} reports one. {@link #stop()} publishes the partial periods and stops.
 */
public final class TrafficModel {
  public static final String NAMESPACE = "AWS/SageMaker";
  /** Datapoints become visible this long after their period ends. */
  public static final Duration DEFAULT_PUBLISH_DELAY = Duration.ofSeconds(2);

  /** Invocation totals of one model version on one endpoint. */
  public record Totals(long invocations, long errors5xx, long errors4xx) {
    Totals plus(long n, long e5, long e4) {
      return new Totals(invocations + n, errors5xx + e5, errors4xx + e4);
    }
  }

  private enum GroupKind { VARIANT, INSTANCE_TYPE, CONFIG, COMPONENT, COMPONENT_TYPE }

  private record GroupKey(String variant, GroupKind kind, String value) {}

  private static final class Accumulator {
    long invocations;
    long errors5xx;
    long errors4xx;
    final BucketCounts latency = new BucketCounts();
    final Map<Double, Double> perInstance = new TreeMap<>();
  }

  private static final class EndpointState {
    final String name;
    final SplittableRandom random;
    int publishSeconds;
    int nextPublishSeconds;
    boolean asynchronous;
    Instant periodStart;
    Instant periodEnd;
    Instant segmentStart;
    List<ServingSlice> slices = List.of();
    final Map<GroupKey, Accumulator> period = new LinkedHashMap<>();
    /** The five metric keys of each group, built once. */
    final Map<GroupKey, MetricKey[]> keys = new HashMap<>();

    EndpointState(String name, SplittableRandom random) {
      this.name = name;
      this.random = random;
    }
  }

  /** What the source said about one endpoint, read outside the model's lock. */
  private record Observation(String endpoint, boolean listed, List<ServingSlice> slices, int publishSeconds,
      boolean asynchronous) {}

  private final Simulation sim;
  private final MetricStore store;
  private final TrafficSource source;
  /** The traffic in force; replaced, never edited, by {@link #changeScenario}. */
  private TrafficScenario scenario;
  private final Duration publishDelay;
  private final Map<String, EndpointState> endpoints = new TreeMap<>();
  private final Map<String, Set<String>> configsServed = new HashMap<>();
  private final Map<String, Map<String, Totals>> totals = new TreeMap<>();
  private final Map<String, Map<String, Instant>> firstErrors = new HashMap<>();
  private final Map<TrafficScenario.LatencyProfile, Sampling.LatencyTable> latencyTables = new HashMap<>();
  private boolean started;
  private final dev.poolshift.local.sim.WakeUp wakeUp;
  private long periodsPublished;

  public TrafficModel(Simulation sim, MetricStore store, TrafficSource source, TrafficScenario scenario) {
    this(sim, store, source, scenario, DEFAULT_PUBLISH_DELAY);
  }

  public TrafficModel(Simulation sim, MetricStore store, TrafficSource source, TrafficScenario scenario,
      Duration publishDelay) {
    if (publishDelay.isNegative()) {
      throw new IllegalArgumentException("publishDelay must not be negative, got " + publishDelay);
    }
    this.sim = sim;
    this.wakeUp = new dev.poolshift.local.sim.WakeUp(sim, "sagemaker-traffic", this::tick);
    this.store = store;
    this.source = source;
    this.scenario = scenario;
    this.publishDelay = publishDelay;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts generating traffic for the endpoints the source lists. */
  public void start() {
    List<Observation> observed = observeAll();
    synchronized (this) {
      if (started) {
        return;
      }
      started = true;
      apply(observed, true);
    }
  }

  /** Publishes what the current periods hold so far and stops; {@link #start()} resumes. */
  public void stop() {
    synchronized (this) {
      if (!started) {
        return;
      }
      Instant now = sim.now();
      for (EndpointState s : endpoints.values()) {
        advance(s, now);
        flush(s, now);
      }
      endpoints.clear();
      started = false;
      wakeUp.cancel();
    }
  }

  /**
   * Tells the model that what {@code endpointName} serves (status, weights, instances, config or
   * publish frequency) has changed: traffic up to now is attributed to the old state, from now on
   * to the new one. Callable from any thread; never waits.
   */
  public void servingChanged(String endpointName) {
    Observation o = observe(endpointName, source.lists(endpointName));
    synchronized (this) {
      if (started) {
        apply(List.of(o), false);
      }
    }
  }

  /**
   * Changes the traffic and how models answer it from now on, e.g. a rehearsal's model starting to
   * fail at 30 minutes: traffic up to now is generated under the scenario in force (so everything
   * published before the change stays as it was, and a period that spans the change holds both
   * parts), traffic from now on under {@code change.apply(inForce)}. The seed cannot change: each
   * endpoint keeps its random stream, so a run stays repeatable.
   */
  public void changeScenario(UnaryOperator<TrafficScenario> change) {
    synchronized (this) {
      TrafficScenario next = change.apply(scenario);
      if (next.seed() != scenario.seed()) {
        throw new IllegalArgumentException("a traffic change keeps the seed " + scenario.seed() + ", got " + next.seed());
      }
      if (started) {
        Instant now = sim.now();
        endpoints.values().forEach(s -> advance(s, now));
      }
      scenario = next;
      if (started) {
        reschedule();
      }
    }
  }

  /** The traffic in force now. */
  public synchronized TrafficScenario scenario() {
    return scenario;
  }

  private List<Observation> observeAll() {
    Set<String> listed = source.endpoints();
    Set<String> names = new HashSet<>(listed);
    synchronized (this) {
      names.addAll(endpoints.keySet());
    }
    return names.stream().sorted().map(name -> observe(name, listed.contains(name))).toList();
  }

  private Observation observe(String endpoint, boolean listed) {
    List<ServingSlice> slices = listed ? source.serving(endpoint) : List.of();
    int seconds = listed ? source.metricPublishSeconds(endpoint) : 60;
    if (seconds < 1) {
      throw new IllegalStateException("metricPublishSeconds(" + endpoint + ") must be >= 1, got " + seconds);
    }
    return new Observation(endpoint, listed, List.copyOf(slices), seconds, listed && source.asynchronous(endpoint));
  }

  private void tick() {
    List<Observation> observed = observeAll();
    synchronized (this) {
      if (started) {
        apply(observed, true);
      }
    }
  }

  /** Brings the observed endpoints up to now and adopts what the source says from now on. */
  private void apply(List<Observation> observed, boolean complete) {
    Instant now = sim.now();
    if (complete) {
      endpoints.values().forEach(s -> advance(s, now));
    } else {
      // One endpoint's change must not cost a look at every other endpoint of a large fleet.
      observed.stream().map(o -> endpoints.get(o.endpoint())).filter(java.util.Objects::nonNull)
          .forEach(s -> advance(s, now));
    }
    for (Observation o : observed) {
      EndpointState s = endpoints.get(o.endpoint());
      if (s == null) {
        if (!o.listed() || o.slices().isEmpty()) {
          continue;
        }
        s = new EndpointState(o.endpoint(), new SplittableRandom(scenario.seed() * 0x9E3779B97F4A7C15L
            + o.endpoint().hashCode()));
        s.publishSeconds = o.publishSeconds();
        startPeriod(s, now);
        s.segmentStart = now;
        endpoints.put(o.endpoint(), s);
      }
      s.slices = o.slices();
      s.nextPublishSeconds = o.publishSeconds();
      if (s.asynchronous != o.asynchronous()) {
        s.keys.clear();
        s.asynchronous = o.asynchronous();
      }
      for (ServingSlice slice : o.slices()) {
        if (slice.instanceCount() > 0 && slice.variantShare() > 0) {
          configsServed.computeIfAbsent(o.endpoint(), k -> new HashSet<>()).add(slice.endpointConfigName());
        }
      }
    }
    if (complete) {
      // An endpoint that no longer serves is dropped once its last period has been published.
      endpoints.values().removeIf(s -> s.slices.isEmpty() && s.period.isEmpty());
    }
    reschedule();
  }

  private void reschedule() {
    Instant earliest = endpoints.values().stream().map(s -> s.periodEnd).min(Comparator.naturalOrder()).orElse(null);
    wakeUp.at(earliest);
  }

  private void startPeriod(EndpointState s, Instant at) {
    long seconds = s.publishSeconds;
    long start = Math.floorDiv(at.getEpochSecond(), seconds) * seconds;
    s.periodStart = Instant.ofEpochSecond(start);
    s.periodEnd = Instant.ofEpochSecond(start + seconds);
  }

  /** Generates traffic up to {@code now}, publishing every period that ended on the way. */
  private void advance(EndpointState s, Instant now) {
    while (!s.periodEnd.isAfter(now)) {
      generate(s, s.segmentStart, s.periodEnd);
      flush(s, s.periodEnd);
      s.segmentStart = s.periodEnd;
      s.publishSeconds = s.nextPublishSeconds;
      startPeriod(s, s.periodEnd);
    }
    if (now.isAfter(s.segmentStart)) {
      generate(s, s.segmentStart, now);
      s.segmentStart = now;
    }
  }

  // ---------------------------------------------------------------- traffic

  private void generate(EndpointState s, Instant from, Instant to) {
    if (!to.isAfter(from) || s.slices.isEmpty()) {
      return;
    }
    double fromSeconds = Duration.between(sim.start(), from).toNanos() / 1e9;
    double toSeconds = Duration.between(sim.start(), to).toNanos() / 1e9;
    double expected = scenario.rate(s.name).requestsBetween(fromSeconds, toSeconds);
    if (expected <= 0) {
      return;
    }
    Map<String, Integer> variantInstances = new HashMap<>();
    Map<String, Integer> typeInstances = new HashMap<>();
    Map<String, Integer> configInstances = new HashMap<>();
    for (ServingSlice slice : s.slices) {
      variantInstances.merge(slice.variantName(), slice.instanceCount(), Integer::sum);
      typeInstances.merge(slice.variantName() + "\n" + slice.instanceType(), slice.instanceCount(), Integer::sum);
      configInstances.merge(slice.variantName() + "\n" + slice.endpointConfigName(), slice.instanceCount(), Integer::sum);
    }
    List<ServingSlice> ordered = new ArrayList<>(s.slices);
    ordered.sort(Comparator.comparing(ServingSlice::variantName).thenComparing(ServingSlice::instanceType)
        .thenComparing(ServingSlice::endpointConfigName).thenComparing(ServingSlice::modelPackageArn)
        .thenComparing(ServingSlice::inferenceComponentName, Comparator.nullsFirst(Comparator.naturalOrder())));
    Map<String, Integer> componentCopies = new HashMap<>();
    Map<String, Integer> componentTypeCopies = new HashMap<>();
    for (ServingSlice slice : s.slices) {
      if (slice.inferenceComponentName() != null) {
        componentCopies.merge(slice.inferenceComponentName(), slice.instanceCount(), Integer::sum);
        componentTypeCopies.merge(slice.inferenceComponentName() + "\n" + slice.instanceType(),
            slice.instanceCount(), Integer::sum);
      }
    }
    Map<String, Instant> firstErrorInSegment = new HashMap<>();
    for (ServingSlice slice : ordered) {
      int inVariant = variantInstances.get(slice.variantName());
      if (slice.instanceCount() == 0 || inVariant == 0 || slice.variantShare() == 0) {
        continue;
      }
      long n = Sampling.poisson(s.random, expected * slice.variantShare() * slice.instanceCount() / inVariant);
      if (n == 0) {
        continue;
      }
      ModelBehaviour behaviour = scenario.behaviour(slice.modelPackageArn(), slice.instanceType());
      long e5 = Sampling.binomial(s.random, n, behaviour.fraction5xx());
      double p4 = behaviour.fraction5xx() >= 1 ? 0 : behaviour.fraction4xx() / (1 - behaviour.fraction5xx());
      long e4 = Sampling.binomial(s.random, n - e5, p4);
      Sampling.LatencyTable table = latencyTables.computeIfAbsent(behaviour.latency(),
          p -> new Sampling.LatencyTable(p.mu(), p.sigma()));
      BucketCounts latency = new BucketCounts(table);
      Sampling.lognormal(s.random, n, table, latency);

      add(s, new GroupKey(slice.variantName(), GroupKind.VARIANT, null), n, e5, e4, latency, inVariant);
      add(s, new GroupKey(slice.variantName(), GroupKind.INSTANCE_TYPE, slice.instanceType()), n, e5, e4, latency,
          typeInstances.get(slice.variantName() + "\n" + slice.instanceType()));
      add(s, new GroupKey(slice.variantName(), GroupKind.CONFIG, slice.endpointConfigName()), n, e5, e4, latency,
          configInstances.get(slice.variantName() + "\n" + slice.endpointConfigName()));
      if (slice.inferenceComponentName() != null) {
        String component = slice.inferenceComponentName();
        add(s, new GroupKey(slice.variantName(), GroupKind.COMPONENT, component), n, e5, e4, latency,
            componentCopies.get(component));
        add(s, new GroupKey(slice.variantName(), GroupKind.COMPONENT_TYPE, component + "\n" + slice.instanceType()),
            n, e5, e4, latency, componentTypeCopies.get(component + "\n" + slice.instanceType()));
      }

      totals.computeIfAbsent(s.name, k -> new TreeMap<>())
          .merge(slice.modelPackageArn(), new Totals(n, e5, e4), (a, b) -> a.plus(b.invocations(), b.errors5xx(), b.errors4xx()));
      if (e5 > 0) {
        // The first of e5 errors spread uniformly over the segment: min of e5 uniforms.
        double fraction = 1 - Math.pow(s.random.nextDouble(), 1.0 / e5);
        Instant at = from.plusNanos((long) (Duration.between(from, to).toNanos() * fraction));
        firstErrorInSegment.merge(slice.modelPackageArn(), at, (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Map<String, Instant> known = firstErrors.computeIfAbsent(s.name, k -> new HashMap<>());
    firstErrorInSegment.forEach(known::putIfAbsent);
  }

  private static void add(EndpointState s, GroupKey key, long n, long e5, long e4, BucketCounts latency, int instances) {
    Accumulator a = s.period.computeIfAbsent(key, k -> new Accumulator());
    a.invocations += n;
    a.errors5xx += e5;
    a.errors4xx += e4;
    a.latency.addAll(latency);
    a.perInstance.merge(1.0 / instances, (double) n, Double::sum);
  }

  /** Publishes the current period's datapoints, visible {@code publishDelay} after {@code end}. */
  private void flush(EndpointState s, Instant end) {
    if (s.period.isEmpty()) {
      return;
    }
    boolean publishConfig = configsServed.getOrDefault(s.name, Set.of()).size() > 1;
    Instant visibleAt = end.plus(publishDelay);
    int resolution = s.publishSeconds < 60 ? 1 : 60;
    for (Map.Entry<GroupKey, Accumulator> e : s.period.entrySet()) {
      GroupKey key = e.getKey();
      Accumulator a = e.getValue();
      if (a.invocations == 0 || (key.kind() == GroupKind.CONFIG && !publishConfig)) {
        continue;
      }
      if (s.asynchronous) {
        MetricKey[] k = s.keys.computeIfAbsent(key, g -> asyncMetricKeys(s.name, g));
        // A request whose inference answered with an error status ends in the failure path: 4xx
        // as well as 5xx count as InvocationFailures (the docs do not split them; the harsher
        // reading). Both sums are published every period with requests, zeros included.
        long failures = a.errors5xx + a.errors4xx;
        put(k[0], s, resolution, visibleAt, MetricStore.NO_UNIT,
            Distribution.ofValues(new double[] {a.invocations - failures}, new double[] {1}));
        put(k[1], s, resolution, visibleAt, MetricStore.NO_UNIT,
            Distribution.ofValues(new double[] {failures}, new double[] {1}));
        put(k[2], s, resolution, visibleAt, MetricStore.NO_UNIT, zeroOne(a.invocations, a.errors5xx));
        put(k[3], s, resolution, visibleAt, MetricStore.NO_UNIT, zeroOne(a.invocations, a.errors4xx));
        put(k[4], s, resolution, visibleAt, "Microseconds", a.latency.toDistribution());
        continue;
      }
      MetricKey[] k = s.keys.computeIfAbsent(key, g -> metricKeys(s.name, g));
      put(k[0], s, resolution, visibleAt, MetricStore.NO_UNIT, Distribution.ofRepeated(1, a.invocations));
      put(k[1], s, resolution, visibleAt, MetricStore.NO_UNIT, zeroOne(a.invocations, a.errors5xx));
      put(k[2], s, resolution, visibleAt, MetricStore.NO_UNIT, zeroOne(a.invocations, a.errors4xx));
      put(k[3], s, resolution, visibleAt, "Microseconds", a.latency.toDistribution());
      double[] values = a.perInstance.keySet().stream().mapToDouble(Double::doubleValue).toArray();
      double[] counts = a.perInstance.values().stream().mapToDouble(Double::doubleValue).toArray();
      put(k[4], s, resolution, visibleAt, MetricStore.NO_UNIT, Distribution.ofValues(values, counts));
    }
    if (s.asynchronous) {
      publishBacklog(s, resolution, visibleAt);
    }
    s.period.clear();
    periodsPublished++;
  }

  /**
   * The endpoint-level backlog metrics of an asynchronous endpoint (dimension {@code
   * EndpointName} only). Requests are processed in the period they arrive while instances serve,
   * so the queue is empty: the metrics read 0. A fleet at zero instances serves no slice and is
   * not tracked here, so a backlog without capacity is not simulated.
   */
  private void publishBacklog(EndpointState s, int resolution, Instant visibleAt) {
    String[] pairs = {"EndpointName", s.name};
    for (String metric : List.of("ApproximateBacklogSize", "ApproximateBacklogSizePerInstance",
        "ApproximateAgeOfOldestRequest", "HasBacklogWithoutCapacity")) {
      store.put(MetricKey.of(NAMESPACE, metric, pairs), s.periodStart, resolution, visibleAt,
          metric.equals("ApproximateAgeOfOldestRequest") ? "Seconds" : MetricStore.NO_UNIT,
          Distribution.ofValues(new double[] {0}, new double[] {1}));
    }
  }

  /**
   * What an asynchronous endpoint publishes per group: {@code InvocationsProcessed}, {@code
   * InvocationFailures}, the 5xx and 4xx errors and {@code ModelLatency}; no {@code Invocations}
   * and no {@code InvocationsPerInstance} (the async metric list is exhaustive).
   */
  private static MetricKey[] asyncMetricKeys(String endpoint, GroupKey group) {
    String[] pairs = groupDimensions(endpoint, group);
    return new MetricKey[] {MetricKey.of(NAMESPACE, "InvocationsProcessed", pairs),
        MetricKey.of(NAMESPACE, "InvocationFailures", pairs), MetricKey.of(NAMESPACE, "Invocation5XXErrors", pairs),
        MetricKey.of(NAMESPACE, "Invocation4XXErrors", pairs), MetricKey.of(NAMESPACE, "ModelLatency", pairs)};
  }

  private static MetricKey[] metricKeys(String endpoint, GroupKey group) {
    String[] pairs = groupDimensions(endpoint, group);
    return new MetricKey[] {MetricKey.of(NAMESPACE, "Invocations", pairs),
        MetricKey.of(NAMESPACE, "Invocation5XXErrors", pairs), MetricKey.of(NAMESPACE, "Invocation4XXErrors", pairs),
        MetricKey.of(NAMESPACE, "ModelLatency", pairs), MetricKey.of(NAMESPACE, "InvocationsPerInstance", pairs)};
  }

  private static String[] groupDimensions(String endpoint, GroupKey group) {
    // A component's metrics carry its name (and the instance type), not the endpoint's.
    if (group.kind() == GroupKind.COMPONENT) {
      return new String[] {"InferenceComponentName", group.value()};
    }
    if (group.kind() == GroupKind.COMPONENT_TYPE) {
      String[] parts = group.value().split("\n", 2);
      return new String[] {"InferenceComponentName", parts[0], "InstanceType", parts[1]};
    }
    List<String> dims = new ArrayList<>(List.of("EndpointName", endpoint, "VariantName", group.variant()));
    switch (group.kind()) {
      case INSTANCE_TYPE -> dims.addAll(List.of("InstanceType", group.value()));
      case CONFIG -> dims.addAll(List.of("EndpointConfigName", group.value()));
      default -> {
        // the variant aggregate has no further dimension
      }
    }
    return dims.toArray(String[]::new);
  }

  private void put(MetricKey key, EndpointState s, int resolution, Instant visibleAt, String unit, Distribution d) {
    store.put(key, s.periodStart, resolution, visibleAt, unit, d);
  }

  private static Distribution zeroOne(long total, long ones) {
    return Distribution.ofValues(new double[] {0, 1}, new double[] {total - ones, ones});
  }

  // ---------------------------------------------------------------- reporting

  /** When {@code modelPackageArn} first answered a request on {@code endpointName} with a 5xx. */
  public synchronized Optional<Instant> firstErrorAt(String endpointName, String modelPackageArn) {
    return Optional.ofNullable(firstErrors.getOrDefault(endpointName, Map.of()).get(modelPackageArn));
  }

  /** Totals per model version on {@code endpointName}, so far (including periods not yet published). */
  public synchronized Map<String, Totals> totals(String endpointName) {
    return Map.copyOf(totals.getOrDefault(endpointName, Map.of()));
  }

  /** Totals of one model version on one endpoint, so far. */
  public synchronized Totals totals(String endpointName, String modelPackageArn) {
    return totals.getOrDefault(endpointName, Map.of()).getOrDefault(modelPackageArn, new Totals(0, 0, 0));
  }

  /** Every endpoint's totals, so far. */
  public synchronized Map<String, Totals> endpointTotals() {
    Map<String, Totals> result = new TreeMap<>();
    totals.forEach((endpoint, byModel) -> result.put(endpoint, byModel.values().stream()
        .reduce(new Totals(0, 0, 0), (a, b) -> a.plus(b.invocations(), b.errors5xx(), b.errors4xx()))));
    return result;
  }

  /** Number of (endpoint, period) datapoint sets published so far. */
  public synchronized long periodsPublished() {
    return periodsPublished;
  }

  public synchronized boolean isStarted() {
    return started;
  }
}
