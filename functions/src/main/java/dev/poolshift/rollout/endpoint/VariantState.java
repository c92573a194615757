package dev.poolshift.rollout.endpoint;

import java.util.List;

/**
 * A production variant as DescribeEndpoint reports it. SageMaker's summary has no InstanceType:
 * for a pooled variant {@code instancePools} is the only view of the hardware actually running.
 */
public record VariantState(
    String variantName,
    Double currentWeight,
    Double desiredWeight,
    Integer currentInstanceCount,
    Integer desiredInstanceCount,
    List<PoolCount> instancePools) {

  public VariantState {
    instancePools = instancePools == null ? List.of() : List.copyOf(instancePools);
  }
}
