package dev.poolshift.local.report;

import dev.poolshift.local.cloudwatch.AlarmSnapshot;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.InstanceView;
import dev.poolshift.local.sagemaker.VariantView;
import dev.poolshift.local.scenario.RunListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the runtime does not keep for later but a report wants: every endpoint's fleets, instance
 * by instance, and each alarm's lifetime (the rollout creates its alarms and deletes them when it
 * ends). Read at every quiescent point of the run, so each change is seen at the instant it
 * happened; a sample is kept only when something changed.
 */
public final class RunRecorder implements RunListener {

  /** The instances of one variant on one instance type. */
  public record FleetKey(String variant, String instanceType) {}

  /**
   * An endpoint's fleets from {@code atSeconds} until the next sample.
   *
   * @param serving instances receiving their variant's traffic
   * @param held instances holding capacity: launching, serving, or terminating (a blue/green
   *     update holds the old fleet and the new one)
   */
  public record FleetSample(double atSeconds, Map<FleetKey, Integer> serving, Map<FleetKey, Integer> held) {}

  /** When an alarm existed: {@code deletedAtSeconds} null while it still exists. */
  public record AlarmLife(String name, double createdAtSeconds, Double deletedAtSeconds) {}

  private final Instant t0;
  private final Map<String, List<FleetSample>> fleets = new TreeMap<>();
  /** Pool priority of each instance type per endpoint, for drawing the types in pool order. */
  private final Map<String, Map<String, Integer>> priorities = new TreeMap<>();
  /** Per endpoint, its variants in the order they first appeared (the config's order). */
  private final Map<String, List<String>> variantOrder = new TreeMap<>();
  /** Per endpoint and variant, the model versions its instances ran, in the order seen. */
  private final Map<String, Map<String, Set<String>>> models = new TreeMap<>();
  /** Every alarm's lifetimes in the order they began (a name deleted and created again has two). */
  private final List<AlarmLife> lives = new ArrayList<>();
  /** The index in {@link #lives} of each alarm that exists now. */
  private final Map<String, Integer> live = new LinkedHashMap<>();

  public RunRecorder(Instant t0) {
    this.t0 = t0;
  }

  @Override
  public void observed(LocalRuntime runtime) {
    double at = seconds(runtime.simulation().now());
    for (EndpointView ep : runtime.sageMaker().endpoints()) {
      Map<FleetKey, Integer> serving = new LinkedHashMap<>();
      Map<FleetKey, Integer> held = new LinkedHashMap<>();
      Map<String, Integer> priority = priorities.computeIfAbsent(ep.name(), k -> new TreeMap<>());
      List<VariantView> variants = new ArrayList<>(ep.variants());
      variants.addAll(ep.pendingVariants());
      for (VariantView v : variants) {
        List<String> order = variantOrder.computeIfAbsent(ep.name(), k -> new ArrayList<>());
        if (!order.contains(v.name())) {
          order.add(v.name());
        }
        for (InstanceView i : v.instances()) {
          FleetKey key = new FleetKey(v.name(), i.instanceType());
          held.merge(key, 1, Integer::sum);
          if (i.serving()) {
            serving.merge(key, 1, Integer::sum);
          }
          priority.merge(i.instanceType(), i.priority(), Math::min);
          models.computeIfAbsent(ep.name(), k -> new LinkedHashMap<>()).computeIfAbsent(v.name(), k -> new LinkedHashSet<>())
              .add(ReportData.shortVersion(i.modelVersionKey()));
        }
      }
      List<FleetSample> samples = fleets.computeIfAbsent(ep.name(), k -> new ArrayList<>());
      FleetSample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
      if (last == null || !last.serving().equals(serving) || !last.held().equals(held)) {
        if (last != null && last.atSeconds() == at) {
          samples.remove(samples.size() - 1);
        }
        samples.add(new FleetSample(at, Map.copyOf(serving), Map.copyOf(held)));
      }
    }
    Set<String> present = new HashSet<>();
    for (AlarmSnapshot a : runtime.cloudWatch().alarms()) {
      present.add(a.alarmName());
      if (!live.containsKey(a.alarmName())) {
        Instant created = a.configurationUpdated() == null || a.configurationUpdated().isBefore(t0) ? t0 : a.configurationUpdated();
        live.put(a.alarmName(), lives.size());
        lives.add(new AlarmLife(a.alarmName(), seconds(created), null));
      }
    }
    for (var it = live.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!present.contains(e.getKey())) {
        lives.set(e.getValue(), new AlarmLife(e.getKey(), lives.get(e.getValue()).createdAtSeconds(), at));
        it.remove();
      }
    }
  }

  /** Each endpoint's fleet samples, in time order. */
  public Map<String, List<FleetSample>> fleets() {
    return fleets;
  }

  /** The endpoint's variants in the order they first appeared: the baseline first. */
  public List<String> variants(String endpoint) {
    return List.copyOf(variantOrder.getOrDefault(endpoint, List.of()));
  }

  /** The lowest pool priority each instance type ran at on the endpoint (0: a single-type variant). */
  public Map<String, Integer> priorities(String endpoint) {
    return priorities.getOrDefault(endpoint, Map.of());
  }

  /** Per variant of the endpoint, the model versions its instances ran ({@code group/version}), in the order seen. */
  public Map<String, List<String>> models(String endpoint) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    models.getOrDefault(endpoint, Map.of()).forEach((variant, versions) -> out.put(variant, List.copyOf(versions)));
    return out;
  }

  /** Every alarm's lifetimes, in the order they began. */
  public List<AlarmLife> alarms() {
    return List.copyOf(lives);
  }

  private double seconds(Instant t) {
    return Duration.between(t0, t).toMillis() / 1000.0;
  }
}
