package dev.poolshift.local.cloudwatch;

import java.util.Objects;

/**
 * A group of instances that serve one endpoint's traffic: all instances of one instance type in
 * one variant, running one model from one endpoint config.
 *
 * @param variantName the production variant
 * @param variantShare the variant's share of the endpoint's traffic: its weight divided by the sum
 *     of all variants' weights (0..1); the same for every slice of the variant
 * @param instanceType e.g. {@code ml.g6.2xlarge}
 * @param instanceCount in-service instances of this type in the variant serving this model
 * @param modelPackageArn the model version those instances serve (any stable id of the model when
 *     it does not come from the registry)
 * @param endpointConfigName the endpoint config these instances were launched from
 * @param inferenceComponentName on an inference-component endpoint, the component whose copies
 *     these are ({@code instanceCount} then counts copies); null otherwise
 */
public record ServingSlice(String variantName, double variantShare, String instanceType, int instanceCount,
    String modelPackageArn, String endpointConfigName, String inferenceComponentName) {
  /** Instances of a model-based variant. */
  public ServingSlice(String variantName, double variantShare, String instanceType, int instanceCount,
      String modelPackageArn, String endpointConfigName) {
    this(variantName, variantShare, instanceType, instanceCount, modelPackageArn, endpointConfigName, null);
  }

  public ServingSlice {
    Objects.requireNonNull(variantName, "variantName");
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(modelPackageArn, "modelPackageArn");
    Objects.requireNonNull(endpointConfigName, "endpointConfigName");
    if (!(variantShare >= 0 && variantShare <= 1)) {
      throw new IllegalArgumentException("variantShare must be within [0, 1], got " + variantShare);
    }
    if (instanceCount < 0) {
      throw new IllegalArgumentException("instanceCount must be >= 0, got " + instanceCount);
    }
  }
}
