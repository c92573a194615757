package dev.poolshift.rollout.endpoint;

import java.util.Map;

/**
 * A SageMaker model to create from a registry package (CreateModel with
 * {@code PrimaryContainer.ModelPackageName}), optionally a per-pool build selected by
 * {@code inferenceSpecificationName}, keeping the {@code carried} settings of the model the
 * baseline runs (its VPC, network isolation, environment, ...).
 */
public record ModelToCreate(
    String modelName,
    String modelPackageArn,
    String inferenceSpecificationName,
    String executionRoleArn,
    Map<String, String> tags,
    ModelSettings carried) {

  public ModelToCreate {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    if (carried == null) {
      throw new IllegalArgumentException("model " + modelName + ": the settings it carries over"
          + " must be given (ModelSettings.none for a model that has none)");
    }
  }
}
