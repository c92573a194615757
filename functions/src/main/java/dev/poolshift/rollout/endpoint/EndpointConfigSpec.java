package dev.poolshift.rollout.endpoint;

import dev.poolshift.rollout.JsonValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An endpoint config: its name, production variants, tags, and every other config-level field
 * (AsyncInferenceConfig, DataCaptureConfig, KmsKeyId, MetricsConfig, ExplainerConfig, VpcConfig,
 * ...) carried unchanged under SageMaker's wire names. Output-only fields of
 * DescribeEndpointConfig (EndpointConfigArn, CreationTime) are not part of it.
 */
public record EndpointConfigSpec(
    String name,
    List<VariantSpec> productionVariants,
    Map<String, String> tags,
    Map<String, Object> carried) {

  public static final String METRICS_CONFIG = "MetricsConfig";
  public static final String DETAILED_OBSERVABILITY = "EnableDetailedObservability";
  public static final String KMS_KEY_ID = "KmsKeyId";
  public static final String SHADOW_VARIANTS = "ShadowProductionVariants";
  /** Tag naming the deployment that created a config or model; how a retry recognises its own. */
  public static final String DEPLOYMENT_TAG = "poolshift:deployment";
  public static final String MODEL_PACKAGE_TAG = "poolshift:model-package";
  /** On what a migrate of a model outside the registry creates: the model it copies. */
  public static final String MODEL_TAG = "poolshift:model";
  public static final String ROLE_TAG = "poolshift:role";

  public EndpointConfigSpec {
    productionVariants = List.copyOf(productionVariants);
    tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    carried = JsonValues.frozenMap(carried);
  }

  public VariantSpec variant(String variantName) {
    for (VariantSpec v : productionVariants) {
      if (v.variantName().equals(variantName)) {
        return v;
      }
    }
    return null;
  }

  public List<String> variantNames() {
    return productionVariants.stream().map(VariantSpec::variantName).toList();
  }

  /** Every model the config runs: its variants' models and their pools' per-hardware builds. */
  public java.util.Set<String> modelNames() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (VariantSpec v : productionVariants) {
      if (v.modelName() != null) {
        out.add(v.modelName());
      }
      v.instancePools().forEach(p -> {
        if (p.modelNameOverride() != null) {
          out.add(p.modelNameOverride());
        }
      });
    }
    return out;
  }

  /** A copy with one carried config-level field set (or removed, for null). */
  public EndpointConfigSpec withCarried(String key, Object value) {
    Map<String, Object> next = new LinkedHashMap<>(carried);
    if (value == null) {
      next.remove(key);
    } else {
      next.put(key, value);
    }
    return new EndpointConfigSpec(name, productionVariants, tags, next);
  }
}
