package dev.poolshift.rollout.port;

import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import java.util.Optional;

/** The model registry and the models built from its packages. */
public interface ModelRegistry {
  /**
   * @throws dev.poolshift.rollout.ModelPackageNotFoundException when the version does not exist
   */
  ModelPackage describePackage(ModelPackageArn arn);

  /**
   * Creates the model with its carried settings. Idempotent: when a model of that name exists
   * and was built from the same package, specification, role and settings, this succeeds; one built from anything else is a
   * {@link dev.poolshift.rollout.ResourceConflictException}.
   */
  void createModel(ModelToCreate model);

  /**
   * The versioned model package a model was built from (DescribeModel's container
   * ModelPackageName); empty for a model built from an image, or one that no longer exists.
   */
  java.util.Optional<String> packageOfModel(String modelName);

  /**
   * The settings of a model (DescribeModel) that a new model replacing it must keep; empty when
   * there is no such model.
   */
  java.util.Optional<dev.poolshift.rollout.endpoint.ModelSettings> modelSettings(String modelName);

  /** Deletes the model; one that is already gone counts as deleted. Returns whether it existed. */
  boolean deleteModel(String modelName);

  /**
   * As {@link #deleteModel}, for a model the caller knows was created (one call instead of a
   * read and a delete); one found gone after all still counts as deleted.
   */
  default boolean deleteExistingModel(String modelName) {
    return deleteModel(modelName);
  }
}
