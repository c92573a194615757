package dev.poolshift.rollout.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the workflow learns when a wait ends: DescribeEndpoint in the shape the state machine
 * reads ({@code $observation}). "Settled" means no update is in progress (InService, Failed,
 * UpdateRollbackFailed, OutOfService); whether it settled where it was asked is for the verify
 * steps to judge, never for the wait.
 *
 * <p>It carries the whole answer and when it was read, so the step right after the wait (the
 * fleet check, the bake's weight check, the promotion check) judges the very read that ended the
 * wait instead of asking SageMaker again a few milliseconds later: every call is one more
 * chance to be throttled when many endpoints roll out at once.
 *
 * @param observedAt when DescribeEndpoint answered (no later than); null in payloads written
 *     before it was recorded, which are never reused
 */
public record Observation(
    boolean settled,
    String status,
    String endpointConfigName,
    String pendingConfigName,
    String failureReason,
    List<ObservedVariant> variants,
    List<ObservedVariant> pendingVariants,
    Instant observedAt) {

  /**
   * How old a read may be and still stand for the endpoint now. Generous enough for the Lambda
   * hand-offs between the wait and the next step (and their retries), far shorter than anything
   * SageMaker changes on its own in a settled endpoint.
   */
  public static final Duration FRESH_FOR = Duration.ofSeconds(60);

  public Observation {
    variants = variants == null ? List.of() : List.copyOf(variants);
    pendingVariants = pendingVariants == null ? List.of() : List.copyOf(pendingVariants);
  }

  /** One production variant: weights, instances and where they run. */
  public record ObservedVariant(
      String variantName,
      Double currentWeight,
      Double desiredWeight,
      Integer currentInstanceCount,
      Integer desiredInstanceCount,
      List<PoolCount> instancePools) {

    public ObservedVariant {
      instancePools = instancePools == null ? List.of() : List.copyOf(instancePools);
    }

    static ObservedVariant of(VariantState v) {
      return new ObservedVariant(v.variantName(), v.currentWeight(), v.desiredWeight(),
          v.currentInstanceCount(), v.desiredInstanceCount(), v.instancePools());
    }

    VariantState state() {
      return new VariantState(variantName, currentWeight, desiredWeight, currentInstanceCount,
          desiredInstanceCount, instancePools);
    }
  }

  public static Observation of(EndpointState endpoint, Instant observedAt) {
    return new Observation(!endpoint.inProgress(), endpoint.status(),
        endpoint.endpointConfigName(), endpoint.pendingConfigName(), endpoint.failureReason(),
        endpoint.productionVariants().stream().map(ObservedVariant::of).toList(),
        endpoint.pendingVariants() == null ? List.of()
            : endpoint.pendingVariants().stream().map(ObservedVariant::of).toList(),
        observedAt);
  }

  /**
   * The endpoint as this read saw it, when the read is settled and at most {@link #FRESH_FOR}
   * old at {@code now}; empty otherwise (the caller describes the endpoint itself).
   */
  public java.util.Optional<EndpointState> freshAt(String endpointName, Instant now) {
    if (!settled || observedAt == null || now == null || observedAt.isAfter(now.plusSeconds(5))
        || Duration.between(observedAt, now).compareTo(FRESH_FOR) > 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new EndpointState(endpointName, status, endpointConfigName,
        failureReason, variants.stream().map(ObservedVariant::state).toList(), pendingConfigName,
        pendingVariants.stream().map(ObservedVariant::state).toList()));
  }
}
