package dev.poolshift.rollout.port;

import java.util.List;
import java.util.Optional;

/** Application Auto Scaling, as far as a plan needs it: is a variant autoscaled, and how. */
public interface ScalingTargets {
  /** Nobody's variants are autoscaled (tests, or a stack without the permission). */
  ScalingTargets NONE = (endpoint, variant) -> Optional.empty();

  /** The variant's scalable target ({@code DesiredInstanceCount}) and its policies, if any. */
  Optional<ScalingTarget> variant(String endpointName, String variantName);

  /** A registered scalable target. */
  record ScalingTarget(String resourceId, int minCapacity, int maxCapacity,
      List<String> policyNames) {
    public ScalingTarget {
      policyNames = policyNames == null ? List.of() : List.copyOf(policyNames);
    }
  }
}
