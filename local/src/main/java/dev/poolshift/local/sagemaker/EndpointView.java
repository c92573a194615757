package dev.poolshift.local.sagemaker;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A snapshot of one endpoint, for scenario assertions and the traffic/CloudWatch model.
 *
 * @param status the API spelling ({@code InService}, {@code Updating}, ...)
 * @param configName the active endpoint config (the target one while {@code Creating})
 * @param pendingConfigName the config a create/update is deploying, or null
 * @param variants the active fleet's variants (empty while {@code Creating} or after a failed create)
 * @param pendingVariants the fleet a create or update is provisioning, until traffic switches to
 *     it (from then on it is {@link #variants()}, while {@link #configName()} still names the old
 *     config until the old fleet is gone); else empty
 */
public record EndpointView(String name, String arn, String status, String configName, String pendingConfigName,
    String failureReason, Instant creationTime, Instant lastModifiedTime, List<VariantView> variants,
    List<VariantView> pendingVariants) {

  public EndpointView {
    variants = List.copyOf(variants);
    pendingVariants = List.copyOf(pendingVariants);
  }

  public Optional<VariantView> variant(String variantName) {
    return variants.stream().filter(v -> v.name().equals(variantName)).findFirst();
  }

  /** Current weight per production variant. */
  public Map<String, Double> currentWeights() {
    return variants.stream().filter(v -> !v.shadow())
        .collect(Collectors.toMap(VariantView::name, VariantView::currentWeight, (a, b) -> a,
            java.util.LinkedHashMap::new));
  }

  /**
   * Share of production traffic per model version ({@link InstanceView#modelVersionKey()}): each variant's weight share split evenly
   * over its serving instances (the traffic model can refine this per request). Versions that get
   * no traffic (weight 0, shadow only, no serving instance) are left out, so "all traffic on one
   * version" is {@code size() == 1}.
   */
  public Map<String, Double> trafficShareByModelPackage() {
    double total = variants.stream().filter(v -> !v.shadow() && !v.servingInstances().isEmpty())
        .mapToDouble(VariantView::currentWeight).sum();
    Map<String, Double> share = new java.util.LinkedHashMap<>();
    if (total <= 0) {
      return share;
    }
    for (VariantView v : variants) {
      List<InstanceView> serving = v.servingInstances();
      if (v.shadow() || serving.isEmpty() || v.currentWeight() <= 0) {
        continue;
      }
      double perInstance = v.currentWeight() / total / serving.size();
      for (InstanceView i : serving) {
        share.merge(i.modelVersionKey(), perInstance, Double::sum);
      }
    }
    return share;
  }
}
