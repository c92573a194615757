package dev.poolshift.rollout.pool;

import dev.poolshift.rollout.canary.GateOutcome;
import dev.poolshift.rollout.canary.Verdict;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.profile.FallbackPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a pooled variant's instances actually landed, compared with the pools asked for. Landing
 * below priority 1 means SageMaker fell back (e.g. g5 capacity gone, g6 provisioned); the profile's
 * {@link FallbackPolicy} decides whether the rollout goes on.
 */
public record PoolLanding(List<InstancePool> requested, List<PoolCount> actual) {
  public PoolLanding {
    requested = List.copyOf(requested);
    actual = List.copyOf(actual);
  }

  public int totalInstances() {
    return actual.stream().mapToInt(PoolCount::currentInstanceCount).sum();
  }

  /** Types with running instances other than the priority-1 type, in the order reported. */
  public List<String> fallbackTypes() {
    String preferred = preferredType();
    List<String> out = new ArrayList<>();
    for (PoolCount c : actual) {
      if (c.currentInstanceCount() > 0 && !c.instanceType().equals(preferred)) {
        out.add(c.instanceType());
      }
    }
    return out;
  }

  public GateOutcome.Decision judge(FallbackPolicy policy) {
    List<String> fallback = fallbackTypes();
    if (policy == FallbackPolicy.PROCEED) {
      return new GateOutcome.Decision(Verdict.CONTINUE, fallback.isEmpty()
          ? "fleet on preferred pool " + preferredType()
          : "fleet on fallback pools " + fallback + "; fallbackPolicy proceed");
    }
    if (totalInstances() == 0) {
      return new GateOutcome.Decision(Verdict.INCONCLUSIVE,
          "SageMaker reported no instances per pool; cannot tell where the fleet landed");
    }
    List<String> unexpected = new ArrayList<>();
    for (PoolCount c : actual) {
      boolean asked = requested.stream().anyMatch(p -> p.instanceType().equals(c.instanceType()));
      if (!asked && c.currentInstanceCount() > 0) {
        unexpected.add(c.instanceType());
      }
    }
    if (!unexpected.isEmpty()) {
      return new GateOutcome.Decision(Verdict.INCONCLUSIVE,
          "instances on types that were not requested: " + unexpected);
    }
    if (fallback.isEmpty()) {
      return new GateOutcome.Decision(Verdict.CONTINUE,
          "fleet on preferred pool " + preferredType());
    }
    Verdict v = policy == FallbackPolicy.PAUSE ? Verdict.INCONCLUSIVE : Verdict.ROLL_BACK;
    return new GateOutcome.Decision(v, "fleet landed on fallback pools " + fallback
        + "; fallbackPolicy " + policy.wire());
  }

  private String preferredType() {
    return requested.stream().min((a, b) -> Integer.compare(a.priority(), b.priority()))
        .map(InstancePool::instanceType).orElse(null);
  }
}
