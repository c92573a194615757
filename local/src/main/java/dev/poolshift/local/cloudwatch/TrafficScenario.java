package dev.poolshift.local.cloudwatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The traffic a rehearsal sends and how each model version answers it.
 *
 * @param seed makes every run with the same scenario and the same serving history identical
 * @param defaultRate requests per minute for endpoints without an entry in {@code endpointRates}
 * @param endpointRates requests per minute per endpoint name
 * @param defaultBehaviour how a model answers when no entry of {@code behaviours} matches
 * @param behaviours per model version, optionally per instance type; the most specific match wins
 *     (package and type, then package on any type)
 */
public record TrafficScenario(long seed, RequestRate defaultRate, Map<String, RequestRate> endpointRates,
    ModelBehaviour defaultBehaviour, List<ModelBehaviour> behaviours) {

  public TrafficScenario {
    Objects.requireNonNull(defaultRate, "defaultRate");
    Objects.requireNonNull(defaultBehaviour, "defaultBehaviour");
    endpointRates = Map.copyOf(endpointRates);
    behaviours = List.copyOf(behaviours);
    for (int i = 0; i < behaviours.size(); i++) {
      if (behaviours.get(i).modelPackageArn() == null) {
        throw new IllegalArgumentException("behaviours[" + i + "].modelPackageArn: required");
      }
    }
  }

  /** No traffic at all. */
  public static TrafficScenario idle(long seed) {
    return new TrafficScenario(seed, RequestRate.constant(0), Map.of(), ModelBehaviour.healthy(), List.of());
  }

  /** The request rate of {@code endpointName}. */
  public RequestRate rate(String endpointName) {
    return endpointRates.getOrDefault(endpointName, defaultRate);
  }

  /** This scenario with {@code endpointName}'s rate replaced. */
  public TrafficScenario withRate(String endpointName, RequestRate rate) {
    Map<String, RequestRate> rates = new java.util.HashMap<>(endpointRates);
    rates.put(endpointName, rate);
    return new TrafficScenario(seed, defaultRate, rates, defaultBehaviour, behaviours);
  }

  /** This scenario with other model behaviours (the default behaviour stays). */
  public TrafficScenario withBehaviours(List<ModelBehaviour> next) {
    return new TrafficScenario(seed, defaultRate, endpointRates, defaultBehaviour, next);
  }

  /** How {@code modelPackageArn} answers on {@code instanceType}. */
  public ModelBehaviour behaviour(String modelPackageArn, String instanceType) {
    ModelBehaviour anyType = null;
    for (ModelBehaviour b : behaviours) {
      if (b.modelPackageArn().equals(modelPackageArn)) {
        if (instanceType.equals(b.instanceType())) {
          return b;
        }
        if (b.instanceType() == null && anyType == null) {
          anyType = b;
        }
      }
    }
    return anyType != null ? anyType : defaultBehaviour;
  }

  /**
   * Requests per minute over virtual time, piecewise constant: each step holds from its offset
   * (relative to the simulation's start) until the next step. Before the first step: 0.
   */
  public record RequestRate(List<Step> steps) {
    /** From {@code at} after the simulation's start, {@code requestsPerMinute}. */
    public record Step(Duration at, double requestsPerMinute) {
      public Step {
        Objects.requireNonNull(at, "at");
        if (!(requestsPerMinute >= 0) || Double.isInfinite(requestsPerMinute)) {
          throw new IllegalArgumentException("requestsPerMinute must be a finite number >= 0, got " + requestsPerMinute);
        }
      }
    }

    public RequestRate {
      List<Step> sorted = new ArrayList<>(steps);
      sorted.sort(Comparator.comparing(Step::at));
      for (int i = 1; i < sorted.size(); i++) {
        if (sorted.get(i).at().equals(sorted.get(i - 1).at())) {
          throw new IllegalArgumentException("steps: two steps at " + sorted.get(i).at());
        }
      }
      steps = List.copyOf(sorted);
    }

    public static RequestRate constant(double requestsPerMinute) {
      return new RequestRate(List.of(new Step(Duration.ZERO, requestsPerMinute)));
    }

    /**
     * This rate until {@code at} (after the simulation's start), {@code requestsPerMinute} from
     * then on: the steps before {@code at} stay, later ones are replaced.
     */
    public RequestRate from(Duration at, double requestsPerMinute) {
      List<Step> kept = new ArrayList<>(steps.stream().filter(s -> s.at().compareTo(at) < 0).toList());
      kept.add(new Step(at, requestsPerMinute));
      return new RequestRate(kept);
    }

    /** Requests expected between {@code from} and {@code to} seconds after the start. */
    double requestsBetween(double from, double to) {
      double total = 0;
      for (int i = 0; i < steps.size(); i++) {
        double start = steps.get(i).at().toNanos() / 1e9;
        double end = i + 1 < steps.size() ? steps.get(i + 1).at().toNanos() / 1e9 : Double.POSITIVE_INFINITY;
        double overlap = Math.min(end, to) - Math.max(start, from);
        if (overlap > 0) {
          total += overlap * steps.get(i).requestsPerMinute() / 60.0;
        }
      }
      return total;
    }
  }

  /**
   * How one model version answers: fractions of requests that fail with 5xx and 4xx, and its
   * ModelLatency.
   *
   * @param modelPackageArn the version (null only for the scenario's default behaviour)
   * @param instanceType null for every instance type
   */
  public record ModelBehaviour(String modelPackageArn, String instanceType, double fraction5xx, double fraction4xx,
      LatencyProfile latency) {
    public ModelBehaviour {
      if (!(fraction5xx >= 0 && fraction5xx <= 1)) {
        throw new IllegalArgumentException("fraction5xx must be within [0, 1], got " + fraction5xx);
      }
      if (!(fraction4xx >= 0 && fraction4xx <= 1) || fraction5xx + fraction4xx > 1) {
        throw new IllegalArgumentException("fraction4xx must be within [0, 1 - fraction5xx], got " + fraction4xx);
      }
      Objects.requireNonNull(latency, "latency");
    }

    /** No errors, p50 20 ms, p99 60 ms. */
    public static ModelBehaviour healthy() {
      return new ModelBehaviour(null, null, 0, 0, new LatencyProfile(20, 60));
    }
  }

  /**
   * ModelLatency as a log-normal distribution fitted to two percentiles: median {@code p50Millis}
   * (so mu = ln p50) and sigma = ln(p99 / p50) / z(0.99) with z(0.99) = 2.3263. Log-normal because
   * latency is positive and right-skewed, and because two percentiles fix it exactly.
   */
  public record LatencyProfile(double p50Millis, double p99Millis) {
    static final double Z99 = 2.3263478740408408;

    public LatencyProfile {
      if (!(p50Millis > 0)) {
        throw new IllegalArgumentException("p50Millis must be > 0, got " + p50Millis);
      }
      if (!(p99Millis >= p50Millis)) {
        throw new IllegalArgumentException("p99Millis must be >= p50Millis (" + p50Millis + "), got " + p99Millis);
      }
    }

    double mu() {
      return Math.log(p50Millis * 1000);
    }

    double sigma() {
      return Math.log(p99Millis / p50Millis) / Z99;
    }
  }
}
