package dev.poolshift.local.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.ApplicationAutoScalingTargets;
import dev.poolshift.local.LocalClients;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.rollout.port.ScalingTargets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
    client = LocalClients.against(ApplicationAutoScalingClient.builder(), gateway.endpoint());
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
        .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(1.0).predefinedMetricSpecification(
            m -> m.predefinedMetricType(MetricType.SAGE_MAKER_VARIANT_INVOCATIONS_PER_INSTANCE))));

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
    var tracking = dev.poolshift.local.json.LocalJson.parse("""
        {"PolicyName": "weighted", "PolicyType": "TargetTrackingScaling",
         "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 0.7, "ScaleOutCooldown": 60, "ScaleInCooldown": 300,
           "DisableScaleIn": false, "CustomizedMetricSpecification": {"Metrics": [
             {"Id": "a", "ReturnData": false, "MetricStat": {"Stat": "Average", "Unit": "Count", "Metric": {
               "Namespace": "AWS/SageMaker", "MetricName": "ConcurrentRequestsPerModel",
               "Dimensions": [{"Name": "EndpointName", "Value": "fraud-scoring-prod"}]}}},
             {"Id": "w", "Label": "weighted", "ReturnData": true, "Expression": "a / 12"}]}}}
        """);
    var step = dev.poolshift.local.json.LocalJson.parse("""
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

  @Test
  void aScheduledActionNeedsItsTargetAndIsCreatedThenUpdatedByName() {
    assertThatThrownBy(() -> client.putScheduledAction(b -> scheduled(b, "morning").schedule("cron(0 8 * * ? *)")))
        .isInstanceOf(ObjectNotFoundException.class);
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    java.time.Instant start = sim.now().plus(java.time.Duration.ofDays(1));

    client.putScheduledAction(b -> scheduled(b, "morning").schedule("cron(0 8 * * ? *)").timezone("Europe/Berlin")
        .startTime(start).endTime(start.plus(java.time.Duration.ofDays(30)))
        .scalableTargetAction(t -> t.minCapacity(3).maxCapacity(6)));
    client.putScheduledAction(b -> scheduled(b, "morning").scalableTargetAction(t -> t.minCapacity(4).maxCapacity(8)));

    var actions = client.describeScheduledActions(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scheduledActions();
    assertThat(actions).singleElement().satisfies(a -> {
      assertThat(a.schedule()).as("kept from the create").isEqualTo("cron(0 8 * * ? *)");
      assertThat(a.timezone()).isEqualTo("Europe/Berlin");
      assertThat(a.scalableTargetAction().minCapacity()).isEqualTo(4);
      assertThat(a.startTime()).as("an update without start and end times deletes them").isNull();
      assertThat(a.endTime()).isNull();
      assertThat(a.resourceId()).isEqualTo(RESOURCE);
    });
  }

  @Test
  void aScheduleMustBeAtRateOrCronAndItsBoundsOrdered() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);

    assertThatThrownBy(() -> client.putScheduledAction(b -> scheduled(b, "x")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("Schedule is required");
    assertThatThrownBy(() -> client.putScheduledAction(b -> scheduled(b, "x").schedule("every morning")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("at(yyyy-mm-ddThh:mm:ss)");
    assertThatThrownBy(() -> client.putScheduledAction(b -> scheduled(b, "x").schedule("cron(0 8 * * ?)")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("six fields");
    assertThatThrownBy(() -> client.putScheduledAction(b -> scheduled(b, "x").schedule("rate(5 minutes)")
        .scalableTargetAction(t -> t.minCapacity(5).maxCapacity(2))))
        .isInstanceOf(ValidationException.class).hasMessageContaining("Maximum capacity cannot be less");
    assertThatThrownBy(() -> client.putScheduledAction(b -> scheduled(b, "x").schedule("rate(1 hour)")
        .timezone("Mars/Olympus")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("Mars/Olympus");
    client.putScheduledAction(b -> scheduled(b, "x").schedule("rate(1 hour)"));
    assertThat(service.variantView("fraud-scoring-prod", "AllTraffic").orElseThrow().path("scheduledActions"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactly("x");
  }

  @Test
  void aOneTimeScheduleInThePastIsRefused() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    var at = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
    String past = at.format(sim.now().minusSeconds(60));
    String future = at.format(sim.now().plusSeconds(3600));

    assertThatThrownBy(() -> client.putScheduledAction(b -> scheduled(b, "once").schedule("at(" + past + ")")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("in the past");
    client.putScheduledAction(b -> scheduled(b, "once").schedule("at(" + future + ")"));
  }

  @Test
  void scheduledActionsAreFilteredAndPaginated() {
    existing.add("fraud-scoring-prod/canary-v2");
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    service.registerVariant("fraud-scoring-prod", "canary-v2", 1, 4);
    for (int i = 0; i < 5; i++) {
      int n = i;
      client.putScheduledAction(b -> scheduled(b, "a" + n).schedule("rate(" + (n + 1) + " hours)"));
    }
    client.putScheduledAction(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/fraud-scoring-prod/variant/canary-v2")
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
        .scheduledActionName("other").schedule("rate(1 day)"));

    var firstPage = client.describeScheduledActions(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).maxResults(2));
    var all = client.describeScheduledActionsPaginator(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
        .maxResults(2)).scheduledActions().stream().map(a -> a.scheduledActionName()).toList();
    var named = client.describeScheduledActions(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .scheduledActionNames("a3", "other")).scheduledActions();

    assertThat(firstPage.scheduledActions()).hasSize(2);
    assertThat(firstPage.nextToken()).isNotNull();
    assertThat(all).containsExactly("a0", "a1", "a2", "a3", "a4");
    assertThat(named).extracting(a -> a.scheduledActionName()).containsExactly("a3", "other");
    assertThatThrownBy(() -> client.describeScheduledActions(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .nextToken("garbage")))
        .isInstanceOf(software.amazon.awssdk.services.applicationautoscaling.model.InvalidNextTokenException.class);
  }

  @Test
  void deletingAScheduledActionAndDeregisteringTheTargetTakeThemAway() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    client.putScheduledAction(b -> scheduled(b, "a").schedule("rate(1 hour)"));
    client.putScheduledAction(b -> scheduled(b, "b").schedule("rate(2 hours)"));

    client.deleteScheduledAction(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).scheduledActionName("a"));
    assertThatThrownBy(() -> client.deleteScheduledAction(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
        .scheduledActionName("a"))).isInstanceOf(ObjectNotFoundException.class);
    client.deregisterScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT));

    assertThat(client.describeScheduledActions(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scheduledActions())
        .as("deregistering deleted the rest").isEmpty();
  }

  @Test
  void aDeletedEndpointsScheduledActionsAreGone() {
    service.registerVariant("fraud-scoring-prod", "AllTraffic", 1, 4);
    client.putScheduledAction(b -> scheduled(b, "a").schedule("rate(1 hour)"));

    existing.clear();

    assertThat(client.describeScheduledActions(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scheduledActions())
        .isEmpty();
  }

  @Test
  void theAdapterPutsEveryScheduledActionBackExactlyAndThePlanSeesThem() {
    client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).minCapacity(2).maxCapacity(6));
    java.time.Instant start = java.time.Instant.parse("2026-01-01T00:00:00.125Z");
    client.putScheduledAction(b -> scheduled(b, "morning-peak").schedule("cron(0 8 ? * MON-FRI *)")
        .timezone("Europe/Berlin").startTime(start).endTime(start.plus(java.time.Duration.ofDays(400)))
        .scalableTargetAction(t -> t.minCapacity(4).maxCapacity(8)));
    client.putScheduledAction(b -> scheduled(b, "night").schedule("cron(0 22 * * ? *)")
        .scalableTargetAction(t -> t.maxCapacity(3)));
    var before = registry();
    ApplicationAutoScalingTargets adapter = new ApplicationAutoScalingTargets(client);

    ScalingTargets.ScalingSetup kept = adapter.capture("fraud-scoring-prod", "AllTraffic").orElseThrow();
    adapter.remove(kept);
    assertThat(client.describeScheduledActions(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)).scheduledActions())
        .isEmpty();
    adapter.apply(dev.poolshift.aws.ScalingSetupJson.read(dev.poolshift.aws.ScalingSetupJson.write(kept)));
    adapter.apply(kept);

    assertThat(kept.scheduledActionNames()).containsExactly("morning-peak", "night");
    assertThat(kept.scheduledActions().get(0).settings()).containsOnlyKeys("Schedule", "Timezone", "StartTime",
        "EndTime", "ScalableTargetAction");
    assertThat(registry()).isEqualTo(before);
    assertThat(adapter.variant("fraud-scoring-prod", "AllTraffic").orElseThrow().scheduledActionNames())
        .containsExactly("morning-peak", "night");
  }

  private static software.amazon.awssdk.services.applicationautoscaling.model.PutScheduledActionRequest.Builder scheduled(
      software.amazon.awssdk.services.applicationautoscaling.model.PutScheduledActionRequest.Builder b, String name) {
    return b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).scheduledActionName(name);
  }

  /** Targets, policies and scheduled actions as described, without creation times. */
  private com.fasterxml.jackson.databind.JsonNode registry() {
    var out = dev.poolshift.local.json.LocalJson.object();
    var ns = dev.poolshift.local.json.LocalJson.object().put("ServiceNamespace", "sagemaker");
    out.set("targets", service.invoke("DescribeScalableTargets", ns).path("ScalableTargets"));
    out.set("policies", service.invoke("DescribeScalingPolicies", ns).path("ScalingPolicies"));
    out.set("scheduledActions", service.invoke("DescribeScheduledActions", ns).path("ScheduledActions"));
    out.findParents("CreationTime").forEach(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove("CreationTime"));
    return out;
  }

  static com.fasterxml.jackson.databind.node.ObjectNode targetTracking(String name, double target) {
    var policy = dev.poolshift.local.json.LocalJson.object().put("PolicyName", name).put("PolicyType", "TargetTrackingScaling");
    policy.putObject("TargetTrackingScalingPolicyConfiguration").put("TargetValue", target)
        .putObject("PredefinedMetricSpecification").put("PredefinedMetricType", "SageMakerVariantInvocationsPerInstance");
    return policy;
  }

  private void registered() {
    client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE)
        .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT).minCapacity(2).maxCapacity(6));
  }

  private static software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDataQuery stat(
      String id, boolean returnData) {
    return software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDataQuery.builder()
        .id(id).returnData(returnData).metricStat(m -> m.stat("Average").metric(x -> x.namespace("AWS/SageMaker")
            .metricName("ConcurrentRequestsPerModel"))).build();
  }

  private static software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDataQuery expression(
      String id, String expression, Boolean returnData) {
    return software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDataQuery.builder()
        .id(id).expression(expression).returnData(returnData).build();
  }

  private void putMetricMath(software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDataQuery... queries) {
    client.putScalingPolicy(b -> b.policyName("weighted").serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(RESOURCE).scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
        .policyType(PolicyType.TARGET_TRACKING_SCALING)
        .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(0.7)
            .customizedMetricSpecification(m -> m.metrics(queries))));
  }

  @Test
  void thePlannedWeightedUtilizationPolicyGoesOnThroughTheAdapterAsBuilt() {
    registered();
    var adapter = new ApplicationAutoScalingTargets(client);
    var policy = dev.poolshift.rollout.plan.WeightedScalingPolicy.of("fraud-scoring-prod", "AllTraffic",
        java.util.List.of("ml.g6e.2xlarge", "ml.g6.2xlarge"), new dev.poolshift.rollout.profile.WeightedAutoscaling(0.7,
            java.util.Map.of("ml.g6e.2xlarge", 12, "ml.g6.2xlarge", 7)));
    var setup = new ScalingTargets.ScalingSetup("fraud-scoring-prod", "AllTraffic", 2, 6, java.util.Map.of(),
        java.util.List.of(policy));

    adapter.apply(setup);

    var captured = adapter.capture("fraud-scoring-prod", "AllTraffic").orElseThrow();
    assertThat(captured.policies()).singleElement().satisfies(p -> {
      assertThat(p.policyName()).isEqualTo("poolshift-weighted-utilization");
      assertThat(dev.poolshift.rollout.plan.WeightedScalingPolicy.expression(p)).isEqualTo("(c1 / 12 + c2 / 7) / 2");
    });
  }

  @Test
  void metricMathThatTheApiReferenceRulesOutIsRefused() {
    registered();

    assertThatThrownBy(() -> putMetricMath(stat("c1", true), expression("weighted", "c1 / 12", true)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("exactly one query must return data");
    assertThatThrownBy(() -> putMetricMath(stat("C1", false), expression("weighted", "C1 / 12", true)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("Metrics[0].Id");
    assertThatThrownBy(() -> putMetricMath(stat("c1", false), stat("c1", false), expression("weighted", "c1", true)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("is not unique");
    assertThatThrownBy(() -> putMetricMath(stat("c1", false), expression("weighted", "(c1 / 12 + c2 / 7) / 2", true)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("refers to 'c2'");
    assertThatThrownBy(() -> putMetricMath(stat("c1", false), software.amazon.awssdk.services.applicationautoscaling
        .model.TargetTrackingMetricDataQuery.builder().id("both").expression("c1").returnData(true)
        .metricStat(m -> m.stat("Average").metric(x -> x.namespace("AWS/SageMaker").metricName("Invocations"))).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("either Expression or MetricStat, but not both");
  }

  @Test
  void metricMathAsTheAnnouncementWritesItIsAccepted() {
    registered();

    putMetricMath(stat("c_g6e", false), stat("c_g6", false), expression("weighted", "(c_g6e / 12 + c_g6 / 7) / 2", null));

    assertThat(client.describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(RESOURCE))
        .scalingPolicies()).singleElement().satisfies(p -> assertThat(p.targetTrackingScalingPolicyConfiguration()
            .customizedMetricSpecification().metrics()).hasSize(3));
  }
}
