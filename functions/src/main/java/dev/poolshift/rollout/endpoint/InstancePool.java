package dev.poolshift.rollout.endpoint;

/**
 * One entry of a production variant's {@code InstancePools}: an instance type, its priority
 * (1 = tried first) and optionally another model to run on that hardware
 * ({@code ModelNameOverride}; null = the variant's ModelName).
 */
public record InstancePool(String instanceType, int priority, String modelNameOverride) {
  public InstancePool {
    if (instanceType == null) {
      throw new IllegalArgumentException("instanceType is required");
    }
  }
}
