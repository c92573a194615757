package dev.poolshift.rollout.endpoint;

import dev.poolshift.rollout.JsonValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A production variant as written in an endpoint config. Typed fields are the ones Poolshift
 * reasons about; {@code carried} holds every other field exactly as SageMaker returned it
 * (ContainerStartupHealthCheckTimeoutInSeconds, ModelDataDownloadTimeoutInSeconds,
 * VolumeSizeInGB, RoutingConfig, fields newer than our SDK, ...), keyed by SageMaker's wire
 * name, so a copied variant loses nothing.
 *
 * <p>A variant has either {@code instanceType} or {@code instancePools}, not both.
 */
public record VariantSpec(
    String variantName,
    String modelName,
    Integer initialInstanceCount,
    String instanceType,
    List<InstancePool> instancePools,
    Integer provisionTimeoutSeconds,
    Double initialVariantWeight,
    Map<String, Object> carried) {

  /** SageMaker's name for the carried field that selects the load-balancing strategy. */
  public static final String ROUTING_CONFIG = "RoutingConfig";
  public static final String LEAST_OUTSTANDING_REQUESTS = "LEAST_OUTSTANDING_REQUESTS";
  public static final String PREFIX_AWARE = "PREFIX_AWARE";
  public static final String VOLUME_SIZE = "VolumeSizeInGB";
  public static final String INFERENCE_AMI_VERSION = "InferenceAmiVersion";
  public static final String CAPACITY_RESERVATION = "CapacityReservationConfig";
  public static final String PREFIX_AWARE_ROUTING_CONFIG = "PrefixAwareRoutingConfig";

  public VariantSpec {
    instancePools = instancePools == null ? List.of() : List.copyOf(instancePools);
    carried = JsonValues.frozenMap(carried);
    if (instanceType != null && !instancePools.isEmpty()) {
      throw new IllegalArgumentException("variant " + variantName
          + ": InstanceType and InstancePools are mutually exclusive");
    }
  }

  public boolean usesPools() {
    return !instancePools.isEmpty();
  }

  /** The highest-priority hardware: the single type, or the priority-1 pool. */
  public String preferredInstanceType() {
    if (instanceType != null) {
      return instanceType;
    }
    return instancePools.stream().min((a, b) -> Integer.compare(a.priority(), b.priority()))
        .map(InstancePool::instanceType).orElse(null);
  }

  /** {@code RoutingConfig.RoutingStrategy}, or null when unset (SageMaker's default is RANDOM). */
  public String routingStrategy() {
    return carried.get(ROUTING_CONFIG) instanceof Map<?, ?> rc
        && rc.get("RoutingStrategy") instanceof String s ? s : null;
  }

  public VariantSpec withName(String name) {
    return new VariantSpec(name, modelName, initialInstanceCount, instanceType, instancePools,
        provisionTimeoutSeconds, initialVariantWeight, carried);
  }

  public VariantSpec withWeight(double weight) {
    return new VariantSpec(variantName, modelName, initialInstanceCount, instanceType,
        instancePools, provisionTimeoutSeconds, weight, carried);
  }

  /** A copy with one carried field set (or removed, for null). */
  public VariantSpec withCarried(String key, Object value) {
    Map<String, Object> next = new LinkedHashMap<>(carried);
    if (value == null) {
      next.remove(key);
    } else {
      next.put(key, value);
    }
    return new VariantSpec(variantName, modelName, initialInstanceCount, instanceType,
        instancePools, provisionTimeoutSeconds, initialVariantWeight, next);
  }
}
