package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.component.ComponentPlan;
import dev.poolshift.rollout.component.ComponentRollout;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.Release;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.ResourceNames;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.pool.PoolMigration;
import dev.poolshift.rollout.pool.PoolTarget;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.PoolPreference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans a rollout on an inference-component endpoint (its variant names no model): the pools
 * the endpoint config carries, the models of the new version (one per hardware build the pools
 * use), and per component the {@code UpdateInferenceComponent} that puts them in every pool
 * type's specification and the one that puts the current specifications back. Makes no calls.
 */
public final class ComponentPlanner {
  /** Beyond the slowest update's own bound: SageMaker's last status change and our read. */
  static final int WAIT_MARGIN_SECONDS = 300;

  private ComponentPlanner() {}

  /**
   * What was read for the plan.
   *
   * @param components the components on the variant that run the package group's models, in
   *     creation order
   * @param untouched the other components on the endpoint, by name
   * @param baselineModel the settings of the model the first component runs now: the new
   *     models keep them (VPC, network isolation, environment)
   */
  public record Request(String deploymentId, ModelPackage modelPackage, DeploymentProfile profile,
      EndpointState endpoint, EndpointConfigSpec currentConfig, VariantSpec variant,
      List<ComponentState> components, List<String> untouched, ModelSettings baselineModel,
      String alarmPrefix) {
  }

  /** The plan, the models it creates and the alarms it creates for SageMaker and its gate. */
  public record Planned(ComponentPlan plan, List<ModelToCreate> models, List<AlarmSpec> alarms) {
    public Planned {
      models = List.copyOf(models);
      alarms = List.copyOf(alarms);
    }
  }

  /** The variant of an inference-component endpoint this profile rolls out, or null. */
  public static VariantSpec componentVariant(DeploymentProfile profile,
      EndpointConfigSpec current) {
    if (profile.variantName() == null && current.productionVariants().size() != 1) {
      return null;
    }
    VariantSpec v = profile.variantName() != null ? current.variant(profile.variantName())
        : current.productionVariants().getFirst();
    return v != null && v.modelName() == null
        && !v.carried().containsKey("ServerlessConfig") ? v : null;
  }

  public static Planned plan(Request request) {
    DeploymentProfile profile = request.profile();
    EndpointState endpoint = request.endpoint();
    EndpointConfigSpec current = request.currentConfig();
    VariantSpec variant = request.variant();
    ModelPackage pkg = request.modelPackage();
    pkg.requireDeployable();
    ModelPackageArn arn = pkg.parsedArn();
    RolloutPlanner.requireRolloutable(profile, endpoint, current);
    String where = "variant " + variant.variantName() + " of endpoint " + endpoint.endpointName();
    if (request.components().isEmpty()) {
      throw new IncompatibleEndpointException(where + " is an inference-component variant, but no"
          + " inference component on it runs a model of group " + pkg.groupName()
          + (request.untouched().isEmpty() ? "" : " (others on the endpoint: "
              + request.untouched() + ")") + "; create one with CreateInferenceComponent first");
    }
    for (ComponentState c : request.components()) {
      if (!c.inService()) {
        throw new EndpointBusyException("inference component " + c.name() + " is " + c.status()
            + "; a rollout starts only from InService");
      }
    }

    // The endpoint config carries the pools: kept when the variant already runs on them.
    EndpointConfigSpec pooledConfig = null;
    List<InstancePool> pools;
    if (variant.usesPools() && !profile.overrideExistingPools()) {
      pools = variant.instancePools();
    } else {
      VariantState live = endpoint.variant(variant.variantName());
      Integer liveCount = live == null ? null : live.currentInstanceCount();
      Integer count = profile.instanceCount() != null ? profile.instanceCount()
          : liveCount != null && liveCount > 0 ? liveCount : variant.initialInstanceCount();
      VariantSpec pooled = PoolMigration.migrate(variant, new PoolTarget(null,
          profile.instancePools(), Map.of(), profile.provisionTimeoutSeconds(),
          profile.keepCurrentTypeFirst(), profile.overrideExistingPools(), count,
          profile.routingStrategy()));
      // The pooled config keeps the endpoint's ExecutionRoleArn (the role the components run
      // with), and CreateEndpointConfig needs iam:PassRole on it: the stack passes only the
      // profile's role, so another role is refused here rather than at CreateEndpointConfig.
      Object role = current.carried().get("ExecutionRoleArn");
      if (role != null && !role.equals(profile.executionRoleArn())) {
        throw new IncompatibleEndpointException(where + " is not on pools, and moving it needs a"
            + " new endpoint config carrying the endpoint's ExecutionRoleArn " + role + ", which"
            + " Poolshift may not pass (iam:PassRole: only the profile's executionRoleArn "
            + profile.executionRoleArn() + "); nothing was changed");
      }
      pools = pooled.instancePools();
      List<VariantSpec> variants = current.productionVariants().stream()
          .map(v -> v.variantName().equals(variant.variantName()) ? pooled : v).toList();
      pooledConfig = new EndpointConfigSpec(ResourceNames.endpointConfig(endpoint.endpointName(),
          arn, request.deploymentId(), ResourceNames.FINAL_CONFIG), variants,
          RolloutPlanner.tags(current, request.deploymentId(), Release.of(arn), ResourceNames.FINAL_CONFIG),
          RolloutPlanner.configLevelFields(current, profile));
    }
    List<String> poolTypes = pools.stream()
        .sorted(Comparator.comparingInt(InstancePool::priority))
        .map(InstancePool::instanceType).toList();

    // One model for the new version, plus one per hardware build the pools use.
    String mainModel = ResourceNames.model(arn, request.deploymentId(), null);
    Map<String, String> perPoolModels = new LinkedHashMap<>();
    Map<String, String> specOfModel = new LinkedHashMap<>();
    FieldErrors errors = new FieldErrors();
    for (int i = 0; i < profile.instancePools().size(); i++) {
      PoolPreference pool = profile.instancePools().get(i);
      String spec = pool.inferenceSpecificationName();
      if (spec == null || !poolTypes.contains(pool.instanceType())) {
        continue;
      }
      if (!pkg.additionalInferenceSpecificationNames().contains(spec)) {
        errors.add("instancePools[" + i + "].inferenceSpecificationName", spec + " is not among"
            + " the package's AdditionalInferenceSpecifications "
            + pkg.additionalInferenceSpecificationNames());
        continue;
      }
      String model = ResourceNames.model(arn, request.deploymentId(), spec);
      perPoolModels.put(pool.instanceType(), model);
      specOfModel.put(model, spec);
    }
    errors.throwIfAny("deployment profile does not fit model package " + arn);

    List<AlarmSpec> alarms = new ArrayList<>();
    List<ComponentUpdate> updates = new ArrayList<>();
    List<ComponentUpdate> restores = new ArrayList<>();
    int firstStep = profile.canarySteps().getFirst();
    for (ComponentState c : request.components()) {
      List<AlarmSpec> own = CanaryAlarms.forComponent(request.alarmPrefix(),
          endpoint.endpointName(), c.name(), poolTypes, profile);
      alarms.addAll(own);
      List<String> watched = new ArrayList<>(own.stream().map(AlarmSpec::name).toList());
      watched.addAll(profile.gateAlarmNames());
      updates.add(ComponentRollout.plan(c.name(), c.specifications(), pools, mainModel,
          perPoolModels, firstStep, profile.bakeSeconds(), watched));
      restores.add(ComponentPlan.restoring(c.name(), c.specifications()));
    }
    int wait = updates.stream().mapToInt(ComponentUpdate::maximumExecutionTimeoutSeconds).max()
        .orElse(0) + WAIT_MARGIN_SECONDS;

    Set<String> used = new LinkedHashSet<>();
    updates.forEach(u -> u.specifications().forEach(s -> used.add(s.modelName())));
    Map<String, String> modelTags = Map.of(EndpointConfigSpec.DEPLOYMENT_TAG,
        request.deploymentId(), EndpointConfigSpec.MODEL_PACKAGE_TAG, arn.toString());
    ModelSettings settings = request.baselineModel() == null ? ModelSettings.none(mainModel)
        : request.baselineModel();
    List<ModelToCreate> models = used.stream().map(name -> new ModelToCreate(name,
        arn.toString(), specOfModel.get(name), profile.executionRoleArn(), modelTags, settings))
        .toList();
    // Read a few times per batch bake: a bake of 10 minutes is read every 5.
    int poll = Math.clamp(updates.getFirst().waitIntervalSeconds() / 2,
        ComponentPlan.MIN_POLL_SECONDS, ComponentPlan.MAX_POLL_SECONDS);
    return new Planned(new ComponentPlan(variant.variantName(), pools, pooledConfig, updates,
        restores, request.untouched(), wait, poll, models, profile.minInvocationsPerStep(),
        profile.thresholds().max5xxRate(), alarms), models, alarms);
  }
}
