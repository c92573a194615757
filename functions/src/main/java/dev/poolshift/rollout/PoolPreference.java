package dev.poolshift.rollout;

/**
 * One ranked instance pool in a deployment profile. {@code inferenceSpecificationName}, when set,
 * names one of the model package's AdditionalInferenceSpecifications: a build of the model for
 * this hardware (e.g. a quantized one), deployed as its own SageMaker model and referenced by the
 * pool's ModelNameOverride.
 */
public record PoolPreference(String instanceType, int priority, String inferenceSpecificationName) {
}
