package dev.poolshift.rollout.endpoint;

import java.util.List;
import java.util.Set;

/**
 * An endpoint as DescribeEndpoint reports it: status, active config, variants with weights and
 * per-pool instance counts, and the deployment in flight (if any).
 *
 * @param pendingConfigName {@code PendingDeploymentSummary.EndpointConfigName}, null when idle
 * @param pendingVariants the pending deployment's variants (with their InstancePools)
 */
public record EndpointState(
    String endpointName,
    String status,
    String endpointConfigName,
    String failureReason,
    List<VariantState> productionVariants,
    String pendingConfigName,
    List<VariantState> pendingVariants) {

  public static final String IN_SERVICE = "InService";
  /** Statuses in which SageMaker refuses writes ("Cannot update in-progress endpoint"). */
  public static final Set<String> IN_PROGRESS =
      Set.of("Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting");
  /** Statuses that need a person; Poolshift makes no further automated writes. */
  public static final Set<String> NEEDS_A_PERSON = Set.of("Failed", "UpdateRollbackFailed");
  /** Weights closer than this are equal: they travel as JSON floats. */
  public static final double WEIGHT_TOLERANCE = 1e-6;

  public EndpointState {
    productionVariants = productionVariants == null ? List.of() : List.copyOf(productionVariants);
    pendingVariants = pendingVariants == null ? List.of() : List.copyOf(pendingVariants);
  }

  // No "is"/"get" prefixes: records travel as JSON state, and Jackson would add such methods
  // as extra properties that do not read back.
  public boolean inService() {
    return IN_SERVICE.equals(status);
  }

  public boolean inProgress() {
    return IN_PROGRESS.contains(status);
  }

  public VariantState variant(String variantName) {
    for (VariantState v : productionVariants) {
      if (v.variantName().equals(variantName)) {
        return v;
      }
    }
    return null;
  }

  /**
   * True when the endpoint is InService and serves exactly these weights (CurrentWeight of each
   * named variant): "verify after every mutation", because SageMaker can roll an update back
   * without an error reaching the caller.
   */
  public boolean serves(List<VariantWeight> weights) {
    if (!inService()) {
      return false;
    }
    for (VariantWeight w : weights) {
      VariantState v = variant(w.variantName());
      if (v == null || v.currentWeight() == null
          || Math.abs(v.currentWeight() - w.weight()) > WEIGHT_TOLERANCE) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when the endpoint is settled on {@code configName} (InService, no deployment in flight)
   * and serves exactly these weights.
   */
  public boolean servesFrom(String configName, List<VariantWeight> weights) {
    return configName != null && configName.equals(endpointConfigName) && pendingConfigName == null
        && serves(weights);
  }

  /** True when every named variant's DesiredWeight is already the one given. */
  public boolean desires(List<VariantWeight> weights) {
    for (VariantWeight w : weights) {
      VariantState v = variant(w.variantName());
      if (v == null || v.desiredWeight() == null
          || Math.abs(v.desiredWeight() - w.weight()) > WEIGHT_TOLERANCE) {
        return false;
      }
    }
    return true;
  }
}
