package dev.poolshift.local.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.ApplicationAutoScalingTargets;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.rollout.port.ScalingTargets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.ObjectNotFoundException;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.ValidationException;

/** The local Application Auto Scaling through the real SDK client, and the plan's adapter on it. */
class ApplicationAutoScalingServiceTest {
  private static final String RESOURCE = "endpoint/fraud-scoring-prod/variant/AllTraffic";
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  /** The variants SageMaker has (the runtime asks the SageMaker simulator). */
  private final java.util.Set<String> existing = new java.util.HashSet<>(java.util.Set.of("fraud-scoring-prod/AllTraffic"));
  private final ApplicationAutoScalingService service = new ApplicationAutoScalingService(sim, AwsContext.DEFAULT,
      (ep, variant) -> existing.contains(ep + "/" + variant));
  private final Gateway gateway = Gateway.start(0);
  private final ApplicationAutoScalingClient client;

  ApplicationAutoScalingServiceTest() {
    gateway.register(service);
    client = ApplicationAutoScalingClient.builder()
        .endpointOverride(gateway.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterEach
  void close() {
    client.close();
    gateway.close();
    sim.close();
  }

  @Test
  void aRegisteredVariantAndItsPolicyAreWhatThePlanSees() {
    client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).minCapacity(2).maxCapacity(6));
    client.putScalingPolicy(b -> b.policyName("invocations-per-instance").serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
        .policyType(PolicyType.TARGET_TRACKING_SCALING)
        .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(750.0).predefinedMetricSpecification(
            m -> m.predefinedMetricType(MetricType.SAGE_MAKER_VARIANT_INVOCATIONS_PER_INSTANCE))));

    var seen = new ApplicationAutoScalingTargets(client).variant("fraud-scoring-prod", "AllTraffic");

    assertThat(seen).contains(new ScalingTargets.ScalingTarget(RESOURCE, 2, 6, java.util.List.of("invocations-per-instance")));
    assertThat(new ApplicationAutoScalingTargets(client).variant("fraud-scoring-prod", "canary-v2")).isEmpty();
  }

  @Test
  void deregisteringATargetTakesItsPoliciesWithIt() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    client.putScalingPolicy(b -> b.policyName("p").serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
        .policyType(PolicyType.TARGET_TRACKING_SCALING)
        .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(1.0)));

    client.deregisterScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT));

    assertThat(client.describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scalingPolicies()).isEmpty();
    assertThatThrownBy(() -> client.deregisterScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)))
        .isInstanceOf(ObjectNotFoundException.class);
  }

  @Test
  void aPolicyNeedsItsTargetAndANewTargetItsBounds() {
    assertThatThrownBy(() -> client.putScalingPolicy(b -> b.policyName("p").serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).minCapacity(3)
        .maxCapacity(2))).isInstanceOf(ValidationException.class).hasMessageContaining("Maximum capacity cannot be less");
  }

  @Test
  void aVariantThatDoesNotExistCannotBeRegistered() {
    assertThatThrownBy(() -> client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/fraud-scoring-prod/variant/canary-v2")
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).minCapacity(1).maxCapacity(2)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("canary-v2");
    assertThatThrownBy(() -> client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("fraud-scoring-prod/AllTraffic")
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).minCapacity(1).maxCapacity(2)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("endpoint/<endpoint name>/variant/<variant name>");
    assertThat(service.isVariantRegistered("fraud-scoring-prod", "canary-v2")).isFalse();
  }

  @Test
  void registeringAgainUpdatesTheBoundsAndKeepsThePolicies() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    service.putVariantPolicy("fraud-scoring-prod", "AllTraffic", targetTracking("p", 70.0));

    client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).minCapacity(2).maxCapacity(8)
        .suspendedState(st -> st.dynamicScalingInSuspended(true)));

    var target = client.describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scalableTargets();
    assertThat(target).singleElement().satisfies(t -> {
      assertThat(t.minCapacity()).isEqualTo(2);
      assertThat(t.maxCapacity()).isEqualTo(8);
      assertThat(t.suspendedState().dynamicScalingInSuspended()).isTrue();
    });
    assertThat(client.describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scalingPolicies())
        .extracting(p -> p.policyName()).containsExactly("p");
    assertThat(service.isVariantRegistered("fraud-scoring-prod", "AllTraffic")).isTrue();
  }

  @Test
  void deletingAPolicyLeavesTheTargetAndAMissingPolicyIsNotFound() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    service.putVariantPolicy("fraud-scoring-prod", "AllTraffic", targetTracking("p", 70.0));

    client.deleteScalingPolicy(b -> b.policyName("p").serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT));

    assertThat(client.describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scalingPolicies()).isEmpty();
    assertThat(service.isVariantRegistered("fraud-scoring-prod", "AllTraffic")).isTrue();
    assertThatThrownBy(() -> client.deleteScalingPolicy(b -> b.policyName("p").serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)))
        .isInstanceOf(ObjectNotFoundException.class);
  }

  @Test
  void aPolicyOfAnUnknownTypeOrWithoutItsConfigurationIsRefused() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);

    assertThatThrownBy(() -> client.putScalingPolicy(b -> b.policyName("p").serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
        .policyType(PolicyType.TARGET_TRACKING_SCALING)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("TargetTrackingScalingPolicyConfiguration");
  }

  @Test
  void aTargetWhoseEndpointWasDeletedIsGoneWithItsPolicies() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    service.putVariantPolicy("fraud-scoring-prod", "AllTraffic", targetTracking("p", 70.0));

    existing.clear();

    assertThat(client.describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scalableTargets()).isEmpty();
    assertThat(client.describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scalingPolicies()).isEmpty();
    assertThat(service.isVariantRegistered("fraud-scoring-prod", "AllTraffic")).isFalse();
  }

  @Test
  void theAdapterTakesAVariantOutAndPutsItBackWithEverySettingOfEveryPolicy() {
    client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).minCapacity(2).maxCapacity(6)
        .suspendedState(st -> st.scheduledScalingSuspended(true)));
    var tracking = dev.poolshift.local.json.Json.parse("""
        {"PolicyName": "weighted", "PolicyType": "TargetTrackingScaling",
         "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 0.7, "ScaleOutCooldown": 60, "ScaleInCooldown": 300,
           "DisableScaleIn": false, "CustomizedMetricSpecification": {"Metrics": [
             {"Id": "a", "ReturnData": false, "MetricStat": {"Stat": "Average", "Unit": "Count", "Metric": {
               "Namespace": "AWS/SageMaker", "MetricName": "ConcurrentRequestsPerModel",
               "Dimensions": [{"Name": "EndpointName", "Value": "fraud-scoring-prod"}]}}},
             {"Id": "w", "Label": "weighted", "ReturnData": true, "Expression": "a / 12"}]}}}
        """);
    var step = dev.poolshift.local.json.Json.parse("""
        {"PolicyName": "step", "PolicyType": "StepScaling",
         "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity", "Cooldown": 120,
           "MetricAggregationType": "Maximum", "StepAdjustments": [
             {"MetricIntervalLowerBound": 0.5, "MetricIntervalUpperBound": 10.25, "ScalingAdjustment": 1},
             {"MetricIntervalLowerBound": 10.25, "ScalingAdjustment": 3}]}}
        """);
    service.putVariantPolicy("fraud-scoring-prod", "AllTraffic", (com.fasterxml.jackson.databind.node.ObjectNode) tracking);
    service.putVariantPolicy("fraud-scoring-prod", "AllTraffic", (com.fasterxml.jackson.databind.node.ObjectNode) step);
    var before = registry();
    ApplicationAutoScalingTargets adapter = new ApplicationAutoScalingTargets(client);

    ScalingTargets.ScalingSetup kept = adapter.capture("fraud-scoring-prod", "AllTraffic").orElseThrow();
    adapter.remove(kept);
    adapter.remove(kept);
    assertThat(service.isVariantRegistered("fraud-scoring-prod", "AllTraffic")).isFalse();
    adapter.apply(kept);
    adapter.apply(kept);

    assertThat(kept.policyNames()).containsExactly("weighted", "step");
    assertThat(kept.policies().get(0).settings()).containsOnlyKeys("TargetTrackingScalingPolicyConfiguration");
    assertThat(registry()).isEqualTo(before);
  }

  /** Targets and policies as described, without creation times. */
  private com.fasterxml.jackson.databind.JsonNode registry() {
    var out = dev.poolshift.local.json.Json.object();
    var ns = dev.poolshift.local.json.Json.object().put("ServiceNamespace", "sagemaker");
    out.set("targets", service.invoke("DescribeScalableTargets", ns).path("ScalableTargets"));
    out.set("policies", service.invoke("DescribeScalingPolicies", ns).path("ScalingPolicies"));
    out.findParents("CreationTime").forEach(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove("CreationTime"));
    return out;
  }

  static com.fasterxml.jackson.databind.node.ObjectNode targetTracking(String name, double target) {
    var policy = dev.poolshift.local.json.Json.object().put("PolicyName", name).put("PolicyType", "TargetTrackingScaling");
    policy.putObject("TargetTrackingScalingPolicyConfiguration").put("TargetValue", target)
        .putObject("PredefinedMetricSpecification").put("PredefinedMetricType", "SageMakerVariantInvocationsPerInstance");
    return policy;
  }
}
