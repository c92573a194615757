package dev.poolshift.local.sagemaker;

/**
 * One ML instance of an endpoint variant, as the traffic model sees it.
 *
 * @param id stable id ({@code i-0001}, in launch order)
 * @param instanceType the hardware
 * @param priority the pool priority it was placed on (1 = highest); 0 for a single-type variant
 * @param modelName the SageMaker model running on it (the pool's {@code ModelNameOverride}, else
 *     the variant's {@code ModelName})
 * @param modelPackageArn the registry version that model was created from, or null for a model
 *     built from an image
 * @param inferenceSpecificationName the package's additional inference specification the model
 *     selected, or null for the package's main specification
 * @param endpointConfigName the endpoint config whose fleet launched it
 * @param state {@code Launching}, {@code InService} or {@code Terminating}
 * @param serving whether it receives its variant's traffic right now
 */
public record InstanceView(String id, String instanceType, int priority, String modelName, String modelPackageArn,
    String inferenceSpecificationName, String endpointConfigName, String state, boolean serving) {

  /** The model package ARN, or {@code model:<name>} for a model built from an image. */
  public String modelVersionKey() {
    return modelPackageArn != null ? modelPackageArn : "model:" + modelName;
  }
}
