package dev.poolshift.aws;

import dev.poolshift.rollout.port.ScalingTargets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ObjectNotFoundException;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScalingPolicyRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScheduledActionRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.RegisterScalableTargetRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.SuspendedState;

/**
 * {@link ScalingTargets} on Application Auto Scaling: a SageMaker variant's target is
 * {@code endpoint/<ep>/variant/<variant>} on {@code sagemaker:variant:DesiredInstanceCount}. A
 * policy's settings are every member PutScalingPolicy accepts besides the target and the name
 * and type, read from DescribeScalingPolicies through the SDK's own field list
 * ({@link SdkPojoJson}), so they are sent back exactly as they were. Scheduled actions are kept
 * the same way (every PutScheduledAction member DescribeScheduledActions returns): deregistering
 * the target deletes them, so without this a rollout would silently drop a daily scale-up.
 */
public final class ApplicationAutoScalingTargets implements ScalingTargets {
  /** The members of PutScalingPolicy that say which policy it is, not how it scales. */
  private static final Set<String> IDENTITY = Set.of("PolicyName", "ServiceNamespace",
      "ResourceId", "ScalableDimension", "PolicyType");
  /** The members of PutScheduledAction that say which action it is, not what it does. */
  private static final Set<String> ACTION_IDENTITY = Set.of("ScheduledActionName",
      "ServiceNamespace", "ResourceId", "ScalableDimension");
  private static final ScalableDimension DIMENSION =
      ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT;

  private final ApplicationAutoScalingClient client;

  public ApplicationAutoScalingTargets(ApplicationAutoScalingClient client) {
    this.client = client;
  }

  @Override
  public Optional<ScalingTarget> variant(String endpointName, String variantName) {
    String resourceId = resourceId(endpointName, variantName);
    try {
      Optional<ScalableTarget> target = target(resourceId);
      if (target.isEmpty()) {
        return Optional.empty();
      }
      List<String> policies = policies(resourceId).stream().map(ScalingPolicy::policyName).toList();
      List<String> actions = scheduledActions(resourceId).stream()
          .map(ScheduledAction::scheduledActionName).toList();
      return Optional.of(new ScalingTarget(resourceId, target.get().minCapacity(),
          target.get().maxCapacity(), policies, actions));
    } catch (SdkException e) {
      throw AwsErrors.translate("DescribeScalableTargets " + resourceId, e);
    }
  }

  @Override
  public Optional<ScalingSetup> capture(String endpointName, String variantName) {
    String resourceId = resourceId(endpointName, variantName);
    try {
      Optional<ScalableTarget> target = target(resourceId);
      if (target.isEmpty()) {
        return Optional.empty();
      }
      Set<String> sendable = new java.util.HashSet<>();
      PutScalingPolicyRequest.builder().sdkFields().forEach(f -> sendable.add(f.locationName()));
      List<ScalingPolicySetup> policies = policies(resourceId).stream().map(p -> {
        Map<String, Object> settings = new LinkedHashMap<>(SdkPojoJson.toMap(p));
        settings.keySet().removeIf(k -> IDENTITY.contains(k) || !sendable.contains(k));
        return new ScalingPolicySetup(p.policyName(), p.policyTypeAsString(), settings);
      }).toList();
      Set<String> schedulable = new java.util.HashSet<>();
      PutScheduledActionRequest.builder().sdkFields()
          .forEach(f -> schedulable.add(f.locationName()));
      List<ScheduledActionSetup> actions = scheduledActions(resourceId).stream().map(a -> {
        Map<String, Object> settings = new LinkedHashMap<>(SdkPojoJson.toMap(a));
        settings.keySet().removeIf(k -> ACTION_IDENTITY.contains(k) || !schedulable.contains(k));
        return new ScheduledActionSetup(a.scheduledActionName(), settings);
      }).toList();
      SuspendedState suspended = target.get().suspendedState();
      return Optional.of(new ScalingSetup(endpointName, variantName, target.get().minCapacity(),
          target.get().maxCapacity(), suspended == null ? Map.of() : SdkPojoJson.toMap(suspended),
          policies, actions));
    } catch (SdkException e) {
      throw AwsErrors.translate("DescribeScalableTargets/DescribeScalingPolicies/"
          + "DescribeScheduledActions " + resourceId, e);
    }
  }

  @Override
  public void remove(ScalingSetup setup) {
    String resourceId = setup.resourceId();
    for (ScalingPolicySetup p : setup.policies()) {
      try {
        client.deleteScalingPolicy(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
            .resourceId(resourceId).scalableDimension(DIMENSION).policyName(p.policyName()));
      } catch (ObjectNotFoundException e) {
        // Deleted by an earlier attempt of this step.
      } catch (SdkException e) {
        throw AwsErrors.translate("DeleteScalingPolicy " + p.policyName() + " of " + resourceId, e);
      }
    }
    try {
      client.deregisterScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
          .resourceId(resourceId).scalableDimension(DIMENSION));
    } catch (ObjectNotFoundException e) {
      // Deregistered by an earlier attempt of this step.
    } catch (SdkException e) {
      throw AwsErrors.translate("DeregisterScalableTarget " + resourceId, e);
    }
  }

  @Override
  public void apply(ScalingSetup setup) {
    String resourceId = setup.resourceId();
    try {
      RegisterScalableTargetRequest.Builder register = RegisterScalableTargetRequest.builder()
          .serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(resourceId)
          .scalableDimension(DIMENSION).minCapacity(setup.minCapacity())
          .maxCapacity(setup.maxCapacity());
      if (!setup.suspendedState().isEmpty()) {
        SuspendedState.Builder suspended = SuspendedState.builder();
        SdkPojoJson.set(suspended, setup.suspendedState(), "SuspendedState");
        register.suspendedState(suspended.build());
      }
      client.registerScalableTarget(register.build());
    } catch (SdkException e) {
      throw AwsErrors.translate("RegisterScalableTarget " + resourceId, e);
    }
    for (ScalingPolicySetup p : setup.policies()) {
      PutScalingPolicyRequest.Builder put = PutScalingPolicyRequest.builder()
          .serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(resourceId)
          .scalableDimension(DIMENSION).policyName(p.policyName()).policyType(p.policyType());
      SdkPojoJson.set(put, p.settings(), "policy " + p.policyName());
      try {
        client.putScalingPolicy(put.build());
      } catch (SdkException e) {
        throw AwsErrors.translate("PutScalingPolicy " + p.policyName() + " on " + resourceId, e);
      }
    }
    for (ScheduledActionSetup a : setup.scheduledActions()) {
      PutScheduledActionRequest.Builder put = PutScheduledActionRequest.builder()
          .serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(resourceId)
          .scalableDimension(DIMENSION).scheduledActionName(a.name());
      SdkPojoJson.set(put, a.settings(), "scheduled action " + a.name());
      try {
        client.putScheduledAction(put.build());
      } catch (SdkException e) {
        throw AwsErrors.translate("PutScheduledAction " + a.name() + " on " + resourceId, e);
      }
    }
  }

  private Optional<ScalableTarget> target(String resourceId) {
    return client.describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceIds(resourceId).scalableDimension(DIMENSION)).scalableTargets().stream().findFirst();
  }

  private List<ScalingPolicy> policies(String resourceId) {
    return client.describeScalingPoliciesPaginator(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(resourceId).scalableDimension(DIMENSION)).scalingPolicies().stream().toList();
  }

  private List<ScheduledAction> scheduledActions(String resourceId) {
    return client.describeScheduledActionsPaginator(b -> b
        .serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(resourceId)
        .scalableDimension(DIMENSION)).scheduledActions().stream().toList();
  }

  private static String resourceId(String endpointName, String variantName) {
    return "endpoint/" + endpointName + "/variant/" + variantName;
  }
}
