package dev.poolshift.rollout.endpoint;

import java.util.Map;

/**
 * A SageMaker model to create from a registry package (CreateModel with
 * {@code PrimaryContainer.ModelPackageName}), optionally a per-pool build selected by
 * {@code inferenceSpecificationName}, keeping the {@code carried} settings of the model the
 * baseline runs (its VPC, network isolation, environment, ...). With no package it is a copy of
 * a model that did not come from the registry: the same image and model data
 * ({@link ModelSettings#artefacts()}) with the same settings.
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
    // A plan written before models carried settings (an execution in flight across a deploy)
    // has none: it goes on as it was planned. Every plan made now names them.
    carried = carried == null ? ModelSettings.none(modelName) : carried;
    if (modelPackageArn == null && (inferenceSpecificationName != null
        || !carried.artefacts().containsKey("Image"))) {
      throw new IllegalArgumentException("model " + modelName + ": without a model package it is"
          + " a copy of " + carried.modelName() + ", which needs that model's image and no"
          + " inference specification");
    }
  }

  /** A copy of a model outside the registry rather than a build of a package. */
  public boolean copiesModel() {
    return modelPackageArn == null;
  }
}
