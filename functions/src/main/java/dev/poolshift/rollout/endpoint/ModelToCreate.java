package dev.poolshift.rollout.endpoint;

import java.util.Map;

/**
 * A SageMaker model to create from a registry package (CreateModel with
 * {@code PrimaryContainer.ModelPackageName}), optionally a per-pool build selected by
 * {@code inferenceSpecificationName}.
 */
public record ModelToCreate(
    String modelName,
    String modelPackageArn,
    String inferenceSpecificationName,
    String executionRoleArn,
    Map<String, String> tags) {

  public ModelToCreate {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
