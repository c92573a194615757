package dev.poolshift.rollout.endpoint;

import dev.poolshift.rollout.JsonValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of the model a baseline variant runs that a new model of the same endpoint must
 * keep, under SageMaker's wire names: model-level ({@code VpcConfig}, {@code
 * EnableNetworkIsolation}, ...) and those of its primary container that are not the package's
 * ({@code Environment}, {@code ContainerHostname}, {@code Mode}, {@code MultiModelConfig}, ...).
 * What a registry package supplies (image, model data, the package and specification) and what
 * Poolshift sets itself (name, execution role from the profile, tags) are not settings.
 *
 * @param modelName the model they were read from
 * @param model model-level members of DescribeModel to send with CreateModel
 * @param container primary-container members to send with CreateModel
 * @param containerCount how many containers the model has (more than one: an inference pipeline,
 *     which a registry package cannot rebuild)
 * @param sourcePackageArn the model package the model was built from (its primary container's
 *     ModelPackageName), or null; read along, so the plan needs one DescribeModel, never carried
 * @param artefacts for a model not built from a package, what its primary container runs
 *     ({@code Image}, {@code ImageConfig}, {@code ModelDataUrl}, {@code ModelDataSource},
 *     {@code AdditionalModelDataSources}): what a copy of the same model needs besides the
 *     settings; empty for a model built from a package, whose package supplies them
 */
public record ModelSettings(String modelName, Map<String, Object> model,
    Map<String, Object> container, int containerCount, String sourcePackageArn,
    Map<String, Object> artefacts) {

  /** DescribeModel members that are output, Poolshift's own, or the containers themselves. */
  private static final Set<String> NOT_MODEL_SETTINGS = Set.of("ModelName", "ModelArn",
      "CreationTime", "PrimaryContainer", "Containers", "ExecutionRoleArn", "Tags",
      "DeploymentRecommendation", "InferenceExecutionConfig");
  /** Container members that a registry package supplies, or that select it. */
  private static final Set<String> PACKAGE_CONTAINER_FIELDS = Set.of("Image", "ImageConfig",
      "ModelDataUrl", "ModelDataSource", "AdditionalModelDataSources", "ModelPackageName",
      "InferenceSpecificationName");
  /** What a container runs when no package supplies it; a copy of the model keeps them. */
  private static final Set<String> ARTEFACT_FIELDS = Set.of("Image", "ImageConfig",
      "ModelDataUrl", "ModelDataSource", "AdditionalModelDataSources");

  public ModelSettings {
    model = JsonValues.frozenMap(model);
    container = JsonValues.frozenMap(container);
    // A plan written before models were copied has none: it never copies one.
    artefacts = JsonValues.frozenMap(artefacts);
  }

  /** Settings of a model whose package is not known. */
  public ModelSettings(String modelName, Map<String, Object> model, Map<String, Object> container,
      int containerCount) {
    this(modelName, model, container, containerCount, null, null);
  }

  /** Settings of a model built from {@code sourcePackageArn} (or of unknown source when null). */
  public ModelSettings(String modelName, Map<String, Object> model, Map<String, Object> container,
      int containerCount, String sourcePackageArn) {
    this(modelName, model, container, containerCount, sourcePackageArn, null);
  }

  /** A model with nothing to carry (no VPC, no isolation, no environment). */
  public static ModelSettings none(String modelName) {
    return new ModelSettings(modelName, Map.of(), Map.of(), 1, null, null);
  }

  /**
   * The settings in a DescribeModel response given as wire-named JSON values. {@code
   * EnableNetworkIsolation: false} is SageMaker's default, echoed for every model, and is left
   * out so that a model created without it compares equal.
   */
  public static ModelSettings fromDescribeModel(Map<String, Object> describeModel) {
    Map<String, Object> model = new LinkedHashMap<>();
    describeModel.forEach((k, v) -> {
      if (!NOT_MODEL_SETTINGS.contains(k) && v != null) {
        model.put(k, v);
      }
    });
    if (Boolean.FALSE.equals(model.get("EnableNetworkIsolation"))) {
      model.remove("EnableNetworkIsolation");
    }
    Object primary = describeModel.get("PrimaryContainer");
    int count = 1;
    if (primary == null && describeModel.get("Containers") instanceof List<?> list) {
      count = list.size();
      primary = list.isEmpty() ? null : list.getFirst();
    }
    Map<String, Object> container = new LinkedHashMap<>();
    Map<String, Object> artefacts = new LinkedHashMap<>();
    String source = null;
    if (primary instanceof Map<?, ?> c) {
      source = c.get("ModelPackageName") instanceof String p ? p : null;
      boolean fromPackage = source != null;
      c.forEach((k, v) -> {
        if (v == null || v instanceof Map<?, ?> m && m.isEmpty()) {
          return;
        }
        if (!PACKAGE_CONTAINER_FIELDS.contains(String.valueOf(k))) {
          container.put(String.valueOf(k), v);
        } else if (!fromPackage && ARTEFACT_FIELDS.contains(String.valueOf(k))) {
          artefacts.put(String.valueOf(k), v);
        }
      });
    }
    return new ModelSettings(String.valueOf(describeModel.get("ModelName")), model, container,
        count, source, artefacts);
  }

  /** A model created from an image and model data, not from a registry package. */
  public boolean outsideRegistry() {
    return sourcePackageArn == null && artefacts.containsKey("Image");
  }

  public boolean pipelineModel() {
    return containerCount > 1;
  }

  /** The carried field names, for the plan: e.g. {@code [VpcConfig, Environment]}. */
  public List<String> carriedNames() {
    List<String> out = new java.util.ArrayList<>(model.keySet());
    container.keySet().forEach(k -> out.add("PrimaryContainer." + k));
    return out;
  }
}
