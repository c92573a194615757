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
 */
public record ModelSettings(String modelName, Map<String, Object> model,
    Map<String, Object> container, int containerCount, String sourcePackageArn) {

  /** DescribeModel members that are output, Poolshift's own, or the containers themselves. */
  private static final Set<String> NOT_MODEL_SETTINGS = Set.of("ModelName", "ModelArn",
      "CreationTime", "PrimaryContainer", "Containers", "ExecutionRoleArn", "Tags",
      "DeploymentRecommendation", "InferenceExecutionConfig");
  /** Container members that a registry package supplies, or that select it. */
  private static final Set<String> PACKAGE_CONTAINER_FIELDS = Set.of("Image", "ImageConfig",
      "ModelDataUrl", "ModelDataSource", "AdditionalModelDataSources", "ModelPackageName",
      "InferenceSpecificationName");

  public ModelSettings {
    model = JsonValues.frozenMap(model);
    container = JsonValues.frozenMap(container);
  }

  /** Settings of a model whose package is not known. */
  public ModelSettings(String modelName, Map<String, Object> model, Map<String, Object> container,
      int containerCount) {
    this(modelName, model, container, containerCount, null);
  }

  /** A model with nothing to carry (no VPC, no isolation, no environment). */
  public static ModelSettings none(String modelName) {
    return new ModelSettings(modelName, Map.of(), Map.of(), 1, null);
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
    String source = null;
    if (primary instanceof Map<?, ?> c) {
      source = c.get("ModelPackageName") instanceof String p ? p : null;
      c.forEach((k, v) -> {
        if (!PACKAGE_CONTAINER_FIELDS.contains(String.valueOf(k)) && v != null
            && !(v instanceof Map<?, ?> m && m.isEmpty())) {
          container.put(String.valueOf(k), v);
        }
      });
    }
    return new ModelSettings(String.valueOf(describeModel.get("ModelName")), model, container,
        count, source);
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
