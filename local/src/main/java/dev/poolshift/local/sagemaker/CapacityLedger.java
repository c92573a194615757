package dev.poolshift.local.sagemaker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-instance-type capacity over virtual time, and the units our instances hold.
 *
 * <p>A type with a timeline has {@code count} obtainable instances from each point on; before the
 * first point it has none. A type with no timeline is unlimited: scenarios only describe the
 * hardware that is short. Launching, running and terminating instances all hold a unit: AWS frees
 * capacity only when an instance is gone. When a timeline drops below what we hold, nothing is
 * evicted (AWS does not reclaim running on-demand instances); new launches just find none.
 *
 * <p>An optional per-type account quota ("ml.g5.2xlarge for endpoint usage") caps what we may hold
 * and is checked synchronously by the endpoint calls ({@code ResourceLimitExceeded}).
 */
final class CapacityLedger {
  private final Instant start;
  private final Map<String, List<CapacityPoint>> timelines = new HashMap<>();
  private final Map<String, Integer> quotas = new HashMap<>();
  /** The quota of every type without its own; null = such types are unlimited. */
  private Integer defaultQuota;
  private final Map<String, Integer> held = new HashMap<>();

  CapacityLedger(Instant start) {
    this.start = start;
  }

  void setTimeline(String instanceType, List<CapacityPoint> points) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("capacity timeline for " + instanceType + " is empty; "
          + "use clearTimeline for unlimited capacity");
    }
    List<CapacityPoint> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingLong(CapacityPoint::atSeconds));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).atSeconds() == sorted.get(i - 1).atSeconds()) {
        throw new IllegalArgumentException("capacity timeline for " + instanceType + " has two points at "
            + sorted.get(i).atSeconds() + " s");
      }
    }
    timelines.put(instanceType, List.copyOf(sorted));
  }

  void clearTimeline(String instanceType) {
    timelines.remove(instanceType);
  }

  void setQuota(String instanceType, Integer quota) {
    if (quota == null) {
      quotas.remove(instanceType);
    } else if (quota < 0) {
      throw new IllegalArgumentException("quota for " + instanceType + " must be >= 0, got " + quota);
    } else {
      quotas.put(instanceType, quota);
    }
  }

  void setDefaultQuota(Integer quota) {
    if (quota != null && quota < 0) {
      throw new IllegalArgumentException("default quota must be >= 0, got " + quota);
    }
    defaultQuota = quota;
  }

  /** The account quota for the type (its own, else the default), or null when unlimited. */
  Integer quota(String instanceType) {
    Integer own = quotas.get(instanceType);
    return own != null ? own : defaultQuota;
  }

  /** The quotas set type by type (not the default). */
  Map<String, Integer> quotas() {
    return Map.copyOf(quotas);
  }

  Integer defaultQuota() {
    return defaultQuota;
  }

  /** Total obtainable instances of the type at {@code now}, or {@link Integer#MAX_VALUE}. */
  int capacityAt(String instanceType, Instant now) {
    List<CapacityPoint> points = timelines.get(instanceType);
    if (points == null) {
      return Integer.MAX_VALUE;
    }
    long elapsed = Math.floorDiv(now.toEpochMilli() - start.toEpochMilli(), 1000);
    int count = 0;
    for (CapacityPoint p : points) {
      if (p.atSeconds() <= elapsed) {
        count = p.count();
      }
    }
    return count;
  }

  /** How many more instances of the type we can launch at {@code now} (capacity and quota). */
  int available(String instanceType, Instant now) {
    int h = held(instanceType);
    int cap = capacityAt(instanceType, now);
    int free = cap == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(0, cap - h);
    Integer q = quota(instanceType);
    if (q != null) {
      free = Math.min(free, Math.max(0, q - h));
    }
    return free;
  }

  int held(String instanceType) {
    return held.getOrDefault(instanceType, 0);
  }

  void acquire(String instanceType, int n) {
    held.merge(instanceType, n, Integer::sum);
  }

  void release(String instanceType, int n) {
    int left = held(instanceType) - n;
    if (left < 0) {
      throw new IllegalStateException("released more " + instanceType + " than held");
    }
    held.put(instanceType, left);
  }
}
