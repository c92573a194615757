package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The instances one endpoint config runs on one endpoint: one {@link Variant} per config variant. */
final class Fleet {
  final String configName;
  /** The config document as it was when the fleet was built (configs can be deleted later). */
  final ObjectNode config;
  final Map<String, Variant> variants = new LinkedHashMap<>();

  Fleet(String configName, ObjectNode config) {
    this.configName = configName;
    this.config = config;
  }

  List<Instance> instances() {
    List<Instance> all = new ArrayList<>();
    variants.values().forEach(v -> all.addAll(v.instances));
    return all;
  }

  /** When the last placed instance is (or was) ready; null if nothing is placed. */
  Instant lastReadyAt() {
    return instances().stream().filter(i -> i.state != Instance.State.TERMINATING).map(i -> i.readyAt)
        .max(Comparator.naturalOrder()).orElse(null);
  }

  /**
   * One ML instance. Holds one unit of its type's capacity from launch until termination ends.
   * It is up from {@link #readyAt} (launch + model start) unless it is terminating.
   */
  static final class Instance {
    enum State { RUNNING, TERMINATING }

    final String id;
    final String instanceType;
    final int priority;
    final String modelName;
    final String modelPackageArn;
    final String specName;
    final String image;
    final String configName;
    final Instant placedAt;
    final Instant readyAt;
    State state = State.RUNNING;

    Instance(String id, String instanceType, int priority, String modelName, String modelPackageArn, String specName,
        String image, String configName, Instant placedAt, Instant readyAt) {
      this.id = id;
      this.instanceType = instanceType;
      this.priority = priority;
      this.modelName = modelName;
      this.modelPackageArn = modelPackageArn;
      this.specName = specName;
      this.image = image;
      this.configName = configName;
      this.placedAt = placedAt;
      this.readyAt = readyAt;
    }

    /** Up and healthy at {@code now} (traffic still depends on the fleet being active). */
    boolean upAt(Instant now) {
      return state != State.TERMINATING && !now.isBefore(readyAt);
    }

    String stateAt(Instant now) {
      if (state == State.TERMINATING) {
        return "Terminating";
      }
      return upAt(now) ? "InService" : "Launching";
    }
  }

  /** A pool a variant can place instances on; a single-type variant has one with priority 0. */
  record Pool(String instanceType, int priority, String modelName) {}

  /** One variant of the fleet: its pools, desired and current weight and count, its instances. */
  static final class Variant {
    final String name;
    final boolean shadow;
    final ObjectNode spec;
    final List<Pool> pools;
    final boolean pooled;
    final Duration provisionTimeout;
    int desiredCount;
    double desiredWeight;
    double currentWeight;
    final List<Instance> instances = new ArrayList<>();

    Variant(String name, boolean shadow, ObjectNode spec, List<Pool> pools, boolean pooled, Duration provisionTimeout,
        int desiredCount, double desiredWeight) {
      this.name = name;
      this.shadow = shadow;
      this.spec = spec;
      this.pools = pools;
      this.pooled = pooled;
      this.provisionTimeout = provisionTimeout;
      this.desiredCount = desiredCount;
      this.desiredWeight = desiredWeight;
    }

    /** Instances not being terminated (launching or up). */
    List<Instance> live() {
      return instances.stream().filter(i -> i.state != Instance.State.TERMINATING).toList();
    }

    int upCount(Instant now) {
      return (int) instances.stream().filter(i -> i.upAt(now)).count();
    }

    int missing() {
      return Math.max(0, desiredCount - live().size());
    }

    /** Scale-in order: lowest-priority pool first (as documented), newest first within a pool. */
    List<Instance> scaleInOrder() {
      List<Instance> order = new ArrayList<>(live());
      order.sort(Comparator.comparingInt((Instance i) -> i.priority).reversed()
          .thenComparing((Instance i) -> i.placedAt, Comparator.reverseOrder())
          .thenComparing((Instance i) -> i.id, Comparator.reverseOrder()));
      return order;
    }
  }
}
