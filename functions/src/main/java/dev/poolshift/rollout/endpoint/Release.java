package dev.poolshift.rollout.endpoint;

import dev.poolshift.rollout.SageMakerNames;
import java.util.Locale;

/**
 * What a rollout ships, as one identity: a versioned model package from the Model Registry, or a
 * SageMaker model that did not come from the registry (created from an image and model data,
 * which only a {@code migrate} moves, unchanged, onto pools). Exactly one of the two is set.
 *
 * <p>Written as text ({@link #wire()}) the package is its ARN and the model its name; a model
 * name cannot contain a colon, so {@link #parse} tells them apart, and a record that stored only
 * a package ARN reads back as the package it names.
 *
 * @param modelPackage the registry version, or null
 * @param modelName the SageMaker model, or null
 */
public record Release(ModelPackageArn modelPackage, String modelName) {

  public Release {
    if ((modelPackage == null) == (modelName == null)) {
      throw new IllegalArgumentException("a release is a model package or a model, exactly one");
    }
    if (modelName != null) {
      SageMakerNames.requireName("modelName", modelName);
    }
  }

  public static Release of(ModelPackageArn modelPackage) {
    return new Release(modelPackage, null);
  }

  /** A model outside the registry; a name that is not a SageMaker name is refused as {@code modelName}. */
  public static Release ofModel(String modelName) {
    return new Release(null, modelName);
  }

  /**
   * A release written by {@link #wire()}: a package ARN, else a model name; errors name
   * {@code path}.
   */
  public static Release parse(String path, String wire) {
    if (wire != null && wire.startsWith("arn:")) {
      return of(ModelPackageArn.parse(path, wire));
    }
    SageMakerNames.requireName(path, wire);
    return ofModel(wire);
  }

  /** Whether it is a Model Registry version (approval, per-hardware builds, group profile). */
  public boolean fromRegistry() {
    return modelPackage != null;
  }

  /** The package ARN or the model name, as records store it. */
  public String wire() {
    return fromRegistry() ? modelPackage.toString() : modelName;
  }

  /** For hashes and comparisons: SageMaker compares both names case-insensitively. */
  public String canonical() {
    return wire().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code other} (a wire form) names this release. */
  public boolean sameAs(String other) {
    return other != null && canonical().equals(other.toLowerCase(Locale.ROOT));
  }

  /** For people: {@code model package arn:…} or {@code model fraud-xgb (not from the Model Registry)}. */
  public String describe() {
    return fromRegistry() ? "model package " + modelPackage
        : "model " + modelName + " (not from the Model Registry)";
  }

  @Override
  public String toString() {
    return wire();
  }
}
