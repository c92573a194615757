package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.SageMakerNames;
import dev.poolshift.rollout.canary.CanarySchedule;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.Release;
import dev.poolshift.rollout.endpoint.ResourceNames;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.pool.PoolMigration;
import dev.poolshift.rollout.pool.PoolTarget;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.PoolPreference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns what was read (package, profile, endpoint, its config) into a {@link RolloutPlan}, or
 * explains why this endpoint cannot be rolled out now. Decides nothing about time; makes no calls.
 */
public final class RolloutPlanner {
  /** Tag-value-safe, so the id can be written as the {@code poolshift:deployment} tag. */
  private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9_.:/=+@-]{1,128}");
  private static final int MAX_TAGS = 50;

  private RolloutPlanner() {}

  public static RolloutPlan plan(RolloutRequest request) {
    String deploymentId = request.deploymentId();
    if (deploymentId == null || !DEPLOYMENT_ID.matcher(deploymentId).matches()) {
      throw new InvalidInputException(null, "deploymentId",
          "must be 1–128 of A-Z a-z 0-9 _ . : / = + @ -" + (deploymentId == null ? ""
              : " (got " + SageMakerNames.quote(deploymentId) + ")"));
    }
    // A package version, or (a migrate) a model that did not come from the registry: pkg null.
    ModelPackage pkg = request.modelPackage();
    Release release = request.release();
    if (pkg != null) {
      pkg.requireDeployable();
    }
    DeploymentProfile profile = request.profile();
    EndpointState endpoint = request.endpoint();
    EndpointConfigSpec current = request.currentConfig();

    requireRolloutable(profile, endpoint, current);
    VariantSpec baseline = baselineVariant(profile, current);
    ModelSettings settings = baselineSettings(request, baseline);
    String canaryName = ResourceNames.canaryVariant(release);
    for (String name : current.variantNames()) {
      if ((!name.equals(baseline.variantName())
          && ResourceNames.CANARY_VARIANT.matcher(name).matches())
          || name.equals(canaryName)) {
        throw new IncompatibleEndpointException("endpoint " + endpoint.endpointName() + " config "
            + current.name() + " still has canary variant " + name + " from an earlier rollout;"
            + " restore the baseline config first");
      }
    }

    // One model for the new version, plus one per per-pool build the profile names.
    String mainModel = ResourceNames.model(release, deploymentId, null);
    Map<String, String> perPoolModels = new LinkedHashMap<>();
    Map<String, String> specOfModel = new LinkedHashMap<>();
    specOfModel.put(mainModel, null);
    // A build for a type the baseline already runs its own model on keeps that model's settings.
    Map<String, ModelSettings> settingsOfModel = new LinkedHashMap<>();
    settingsOfModel.put(mainModel, settings);
    FieldErrors errors = new FieldErrors();
    for (int i = 0; i < profile.instancePools().size(); i++) {
      PoolPreference pool = profile.instancePools().get(i);
      String spec = pool.inferenceSpecificationName();
      if (spec == null) {
        continue;
      }
      if (pkg == null) {
        errors.add("instancePools[" + i + "].inferenceSpecificationName", "model "
            + release.modelName() + " did not come from the Model Registry, so it has no"
            + " per-hardware builds to select " + SageMakerNames.quote(spec) + " from; every pool"
            + " runs the same model (leave inferenceSpecificationName out)");
        continue;
      }
      if (!pkg.additionalInferenceSpecificationNames().contains(spec)) {
        errors.add("instancePools[" + i + "].inferenceSpecificationName", SageMakerNames.quote(spec)
            + " is not among the package's AdditionalInferenceSpecifications "
            + pkg.additionalInferenceSpecificationNames());
        continue;
      }
      String model = ResourceNames.model(release, deploymentId, spec);
      perPoolModels.put(pool.instanceType(), model);
      specOfModel.put(model, spec);
      settingsOfModel.put(model, poolSettings(request, baseline, pool.instanceType(), settings));
    }
    errors.throwIfAny("deployment profile does not fit " + release.describe());

    VariantState live = endpoint.variant(baseline.variantName());
    Integer liveCount = live == null ? null : live.currentInstanceCount();
    Integer count = profile.instanceCount() != null ? profile.instanceCount()
        : liveCount != null && liveCount > 0 ? liveCount : baseline.initialInstanceCount();
    VariantSpec migrated = PoolMigration.migrate(baseline, new PoolTarget(mainModel,
        profile.instancePools(), perPoolModels, profile.provisionTimeoutSeconds(),
        profile.keepCurrentTypeFirst(), profile.overrideExistingPools(), count,
        profile.routingStrategy()));

    double baselineWeight = live != null && live.currentWeight() != null ? live.currentWeight()
        : baseline.initialVariantWeight() != null ? baseline.initialVariantWeight() : 1.0;
    if (!(baselineWeight > 0)) {
      throw new IncompatibleEndpointException("variant " + baseline.variantName()
          + " serves no traffic (weight " + baselineWeight + "); nothing to canary against");
    }

    String canaryConfigName = ResourceNames.endpointConfig(endpoint.endpointName(), release,
        deploymentId, ResourceNames.CANARY_CONFIG);
    String finalConfigName = ResourceNames.endpointConfig(endpoint.endpointName(), release,
        deploymentId, ResourceNames.FINAL_CONFIG);
    Map<String, Object> carried = configLevelFields(current, profile);

    BaselineCopy copy = baselineCopy(request, baseline, liveCount, deploymentId, settings);
    List<VariantSpec> canaryVariants = new ArrayList<>();
    for (VariantSpec v : current.productionVariants()) {
      canaryVariants.add(v.variantName().equals(baseline.variantName()) ? copy.variant() : v);
    }
    canaryVariants.add(migrated.withName(canaryName).withWeight(0.0));
    boolean single = current.productionVariants().size() == 1;
    // The final config's weights are applied, not retained (see RolloutPlan.finalUpdate): the
    // other variants of a multi-variant endpoint get the weights they serve with now, not the
    // initial weights of the config they were created with.
    List<VariantSpec> finalVariants = new ArrayList<>();
    for (VariantSpec v : current.productionVariants()) {
      finalVariants.add(v.variantName().equals(baseline.variantName())
          ? migrated.withWeight(single ? 1.0 : baselineWeight) : withLiveWeight(v, endpoint));
    }
    EndpointConfigSpec canaryConfig = new EndpointConfigSpec(canaryConfigName, canaryVariants,
        tags(current, deploymentId, release, ResourceNames.CANARY_CONFIG), carried);
    EndpointConfigSpec finalConfig = new EndpointConfigSpec(finalConfigName, finalVariants,
        tags(current, deploymentId, release, ResourceNames.FINAL_CONFIG), carried);

    // Only models the new variant actually references (kept pools may not use every build).
    Set<String> used = new LinkedHashSet<>();
    used.add(mainModel);
    migrated.instancePools().stream().map(InstancePool::modelNameOverride)
        .filter(m -> m != null).forEach(used::add);
    Map<String, String> modelTags = Map.of(EndpointConfigSpec.DEPLOYMENT_TAG, deploymentId,
        releaseTag(release), release.wire());
    String packageArn = pkg == null ? null : release.modelPackage().toString();
    List<ModelToCreate> models = new ArrayList<>(used.stream().map(name -> new ModelToCreate(name,
        packageArn, specOfModel.get(name), profile.executionRoleArn(), modelTags,
        settingsOfModel.get(name))).toList());
    models.addAll(copy.models());

    return new RolloutPlan(deploymentId, endpoint.endpointName(), packageArn, current.name(),
        baseline.variantName(), baselineWeight, canaryName, models, canaryConfig, finalConfig,
        new CanarySchedule(profile.canarySteps()), profile, asynchronous(current, profile),
        profile.weightedAutoscaling() == null ? null : WeightedScalingPolicy.of(
            endpoint.endpointName(), baseline.variantName(), migrated.instancePools().stream()
                .map(InstancePool::instanceType).toList(), profile.weightedAutoscaling()),
        release.wire());
  }

  /** The tag that names what a config or model ships: the package, or the model copied. */
  private static String releaseTag(Release release) {
    return release.fromRegistry() ? EndpointConfigSpec.MODEL_PACKAGE_TAG
        : EndpointConfigSpec.MODEL_TAG;
  }

  /**
   * Whether the endpoint is asynchronous (its config has {@code AsyncInferenceConfig}), which
   * makes the rollout one blue/green switch gated on what asynchronous endpoints publish. Such
   * an endpoint publishes {@code ModelLatency} with Average, Sum, Min, Max and SampleCount only:
   * a p99 SLA could never be judged, so a profile that sets one is refused by name rather than
   * left to hold every rollout for lack of data.
   */
  private static boolean asynchronous(EndpointConfigSpec current, DeploymentProfile profile) {
    if (!current.carried().containsKey(RolloutPlan.ASYNC_INFERENCE_CONFIG)) {
      return false;
    }
    if (profile.thresholds().p99LatencyMs() != null) {
      throw new InvalidInputException(null, "thresholds.p99LatencyMs", "endpoint config "
          + current.name() + " is asynchronous (AsyncInferenceConfig), whose ModelLatency has no"
          + " percentiles; remove the p99 SLA from the profile (the failure rate and the backlog"
          + " gate asynchronous rollouts)");
    }
    return true;
  }

  /** The baseline variant as the canary config re-provisions it, and the models it needs. */
  private record BaselineCopy(VariantSpec variant, List<ModelToCreate> models) {
  }

  /**
   * Blue/green provisions the whole canary config, the baseline variant included. A baseline on
   * a single instance type would need that type's capacity again, so a shortage of the very type
   * the endpoint runs on would fail every rollout before any traffic moved. The copy goes onto
   * ranked pools instead: its current type first, then the profile's pools that it can run on
   * (a pool the profile gives a per-hardware build needs the same build of the baseline's
   * package; without one that pool is left out of the copy). A baseline already on pools, or
   * one with no second type it can run on, is copied as it is.
   */
  private static BaselineCopy baselineCopy(RolloutRequest request, VariantSpec baseline,
      Integer liveCount, String deploymentId, ModelSettings settings) {
    DeploymentProfile profile = request.profile();
    if (baseline.usesPools() || baseline.preferredInstanceType() == null
        || baseline.modelName() == null) {
      return new BaselineCopy(baseline, List.of());
    }
    ModelPackage basePkg = request.baselinePackage();
    List<PoolPreference> usable = new ArrayList<>();
    Map<String, String> perPoolModels = new LinkedHashMap<>();
    List<ModelToCreate> models = new ArrayList<>();
    for (PoolPreference pool : profile.instancePools()) {
      String spec = pool.inferenceSpecificationName();
      if (spec == null) {
        usable.add(pool);
        continue;
      }
      if (basePkg == null || !basePkg.additionalInferenceSpecificationNames().contains(spec)) {
        continue;
      }
      ModelPackageArn baseArn = basePkg.parsedArn();
      String model = ResourceNames.model(baseArn, deploymentId, spec);
      perPoolModels.put(pool.instanceType(), model);
      models.add(new ModelToCreate(model, baseArn.toString(), spec, profile.executionRoleArn(),
          Map.of(EndpointConfigSpec.DEPLOYMENT_TAG, deploymentId,
              EndpointConfigSpec.MODEL_PACKAGE_TAG, baseArn.toString()), settings));
      usable.add(pool);
    }
    boolean secondType = usable.stream()
        .anyMatch(p -> !p.instanceType().equals(baseline.preferredInstanceType()));
    if (!secondType) {
      return new BaselineCopy(baseline, List.of());
    }
    Integer count = liveCount != null && liveCount > 0 ? liveCount
        : baseline.initialInstanceCount();
    VariantSpec pooled = PoolMigration.migrate(baseline, new PoolTarget(baseline.modelName(),
        usable, perPoolModels, profile.provisionTimeoutSeconds(), true, false, count, null));
    Set<String> referenced = new LinkedHashSet<>();
    pooled.instancePools().forEach(p -> referenced.add(p.modelNameOverride()));
    models.removeIf(m -> !referenced.contains(m.modelName()));
    // The copy serves what the baseline serves, with the weight it has.
    return new BaselineCopy(pooled.withWeight(baseline.initialVariantWeight() == null ? 1.0
        : baseline.initialVariantWeight()), models);
  }

  /**
   * What every created model keeps from the model the baseline runs. An inference pipeline
   * (several containers) cannot be rebuilt from one registry package: refused by name rather
   * than replaced by a single container.
   */
  private static ModelSettings baselineSettings(RolloutRequest request, VariantSpec baseline) {
    ModelSettings settings = request.baselineModel();
    Release release = request.release();
    if (settings == null && release.fromRegistry()) {
      return ModelSettings.none(baseline.modelName());
    }
    if (settings != null && settings.pipelineModel()) {
      throw new IncompatibleEndpointException("variant " + baseline.variantName() + " runs model "
          + settings.modelName() + ", an inference pipeline of " + settings.containerCount()
          + " containers (Containers); " + (release.fromRegistry()
              ? "a model package builds one container"
              : "a copy of " + release.modelName() + " on the pools carries one container")
          + ", so the pipeline cannot be carried over");
    }
    if (!release.fromRegistry() && (settings == null || !settings.outsideRegistry())) {
      // The copy is built from what the baseline runs: without its image there is nothing to copy.
      throw new IncompatibleEndpointException("variant " + baseline.variantName() + " runs model "
          + (settings == null ? baseline.modelName() : settings.modelName()) + ", whose primary"
          + " container has no Image to copy" + (settings != null
              && settings.sourcePackageArn() != null ? " (it was built from model package "
              + settings.sourcePackageArn() + ": migrate it by its modelPackageArn)" : "")
          + "; " + release.describe() + " cannot be carried over");
    }
    return settings;
  }

  /**
   * The settings a build for {@code instanceType} keeps: those of the model the baseline's pool of
   * that type runs (its {@code ModelNameOverride}, e.g. an int8 build with its own environment),
   * else the main model's.
   */
  private static ModelSettings poolSettings(RolloutRequest request, VariantSpec baseline,
      String instanceType, ModelSettings main) {
    ModelSettings own = request.baselinePoolModels().get(instanceType);
    if (own == null) {
      return main;
    }
    if (own.pipelineModel()) {
      throw new IncompatibleEndpointException("variant " + baseline.variantName() + " runs model "
          + own.modelName() + " on its " + instanceType + " pool, an inference pipeline of "
          + own.containerCount() + " containers (Containers); a model package builds one"
          + " container, so the pipeline cannot be carried over");
    }
    return own;
  }

  static void requireRolloutable(DeploymentProfile profile, EndpointState endpoint,
      EndpointConfigSpec current) {
    if (!profile.endpointName().equalsIgnoreCase(endpoint.endpointName())) {
      throw new InvalidInputException(null, "endpointName", "profile targets "
          + profile.endpointName() + " but the described endpoint is " + endpoint.endpointName());
    }
    if (endpoint.inProgress()) {
      throw new EndpointBusyException("endpoint " + endpoint.endpointName() + " is "
          + endpoint.status() + "; a rollout starts only from InService");
    }
    if (!endpoint.inService()) {
      throw new IncompatibleEndpointException("endpoint " + endpoint.endpointName() + " is "
          + endpoint.status() + (endpoint.failureReason() == null ? ""
              : " (" + endpoint.failureReason() + ")") + "; a person must look before any rollout");
    }
    if (!current.name().equals(endpoint.endpointConfigName())) {
      // Read at different moments: the endpoint moved on. Re-read and plan again.
      throw new EndpointBusyException("endpoint " + endpoint.endpointName() + " runs config "
          + endpoint.endpointConfigName() + ", not the described " + current.name());
    }
    if (current.carried().get(EndpointConfigSpec.SHADOW_VARIANTS) instanceof List<?> shadows
        && !shadows.isEmpty()) {
      throw new IncompatibleEndpointException("endpoint config " + current.name() + " has shadow"
          + " variants; a config allows one production variant beside a shadow, so the canary"
          + " variant cannot be added");
    }
  }

  static VariantSpec baselineVariant(DeploymentProfile profile,
      EndpointConfigSpec current) {
    if (profile.variantName() != null) {
      VariantSpec v = current.variant(profile.variantName());
      if (v == null) {
        throw new IncompatibleEndpointException("variantName " + profile.variantName()
            + " is not in endpoint config " + current.name() + " (variants: "
            + current.variantNames() + ")");
      }
      return v;
    }
    if (current.productionVariants().size() != 1) {
      throw new IncompatibleEndpointException("endpoint config " + current.name() + " has "
          + current.productionVariants().size() + " variants " + current.variantNames()
          + "; set variantName in the profile to choose the one to replace");
    }
    return current.productionVariants().getFirst();
  }

  /** The variant with the weight it serves with now (its config's when the endpoint says none). */
  private static VariantSpec withLiveWeight(VariantSpec v, EndpointState endpoint) {
    VariantState live = endpoint.variant(v.variantName());
    return live == null || live.currentWeight() == null ? v : v.withWeight(live.currentWeight());
  }

  /**
   * Config-level fields carried over; enhanced metrics switched on when the profile asks.
   * {@code MetricsConfig.EnableDetailedObservability} is written with the baseline's effective
   * value: SageMaker turns it on (billed) for a new config that leaves it out, while a config
   * that predates the field runs without it, and DescribeEndpointConfig echoes the field for
   * every config created since. A baseline that does not show it predates it: false.
   */
  static Map<String, Object> configLevelFields(EndpointConfigSpec current,
      DeploymentProfile profile) {
    Map<String, Object> carried = new LinkedHashMap<>(current.carried());
    Map<String, Object> observed = new LinkedHashMap<>();
    if (carried.get(EndpointConfigSpec.METRICS_CONFIG) instanceof Map<?, ?> m) {
      m.forEach((k, v) -> observed.put(String.valueOf(k), v));
    }
    observed.putIfAbsent(EndpointConfigSpec.DETAILED_OBSERVABILITY, false);
    carried.put(EndpointConfigSpec.METRICS_CONFIG, observed);
    if (profile.enhancedMetrics()) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      if (carried.get(EndpointConfigSpec.METRICS_CONFIG) instanceof Map<?, ?> m) {
        m.forEach((k, v) -> metrics.put(String.valueOf(k), v));
      }
      metrics.put("EnableEnhancedMetrics", true);
      metrics.put("MetricPublishFrequencyInSeconds", 10);
      carried.put(EndpointConfigSpec.METRICS_CONFIG, metrics);
    }
    // Switching enhanced metrics off is left to the user: the profile flag only ever adds.
    return carried;
  }

  static Map<String, String> tags(EndpointConfigSpec current, String deploymentId,
      Release release, String role) {
    Map<String, String> tags = new LinkedHashMap<>();
    current.tags().forEach((k, v) -> {
      // aws: tags are system tags (CreateEndpointConfig refuses them); poolshift: ones are ours
      // and are rewritten for this deployment.
      if (!k.startsWith("aws:") && !k.startsWith("poolshift:")) {
        tags.put(k, v);
      }
    });
    tags.put(EndpointConfigSpec.DEPLOYMENT_TAG, deploymentId);
    tags.put(releaseTag(release), release.wire());
    tags.put(EndpointConfigSpec.ROLE_TAG, role);
    if (tags.size() > MAX_TAGS) {
      throw new IncompatibleEndpointException("endpoint config " + current.name() + " has "
          + current.tags().size() + " tags; with Poolshift's 3 the new configs would exceed "
          + MAX_TAGS);
    }
    return tags;
  }
}
