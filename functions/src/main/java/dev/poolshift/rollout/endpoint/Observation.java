package dev.poolshift.rollout.endpoint;

import java.util.List;

/**
 * What the workflow learns when a wait ends: DescribeEndpoint in the shape the state machine
 * reads ({@code $observation}). "Settled" means no update is in progress (InService, Failed,
 * UpdateRollbackFailed, OutOfService); whether it settled where it was asked is for the verify
 * steps to judge, never for the wait.
 */
public record Observation(
    boolean settled,
    String status,
    String endpointConfigName,
    String pendingConfigName,
    String failureReason,
    List<ObservedVariant> variants) {

  public Observation {
    variants = variants == null ? List.of() : List.copyOf(variants);
  }

  /** One production variant: weights, instances and where they run. */
  public record ObservedVariant(
      String variantName,
      Double currentWeight,
      Double desiredWeight,
      Integer currentInstanceCount,
      List<PoolCount> instancePools) {

    public ObservedVariant {
      instancePools = instancePools == null ? List.of() : List.copyOf(instancePools);
    }
  }

  public static Observation of(EndpointState endpoint) {
    return new Observation(!endpoint.inProgress(), endpoint.status(),
        endpoint.endpointConfigName(), endpoint.pendingConfigName(), endpoint.failureReason(),
        endpoint.productionVariants().stream()
            .map(v -> new ObservedVariant(v.variantName(), v.currentWeight(), v.desiredWeight(),
                v.currentInstanceCount(), v.instancePools()))
            .toList());
  }
}
