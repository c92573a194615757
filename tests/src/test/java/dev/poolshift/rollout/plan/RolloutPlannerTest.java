package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.ModelPackageNotDeployableException;
import dev.poolshift.rollout.SageMakerNames;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.profile.DeploymentProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {
  static final String ARN = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42";
  static final String ROLE = "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution";

  static final ModelPackage PACKAGE = new ModelPackage(ARN, "fraud-scoring", 42, "Completed",
      "Approved", List.of("g6-int8"), Map.of());

  static DeploymentProfile.Builder profile() {
    return DeploymentProfile.builder().endpointName("fraud-scoring-prod").executionRoleArn(ROLE)
        .pool("ml.g5.2xlarge").pool("ml.g5.4xlarge").pool("ml.g6.2xlarge", "g6-int8");
  }

  static VariantSpec baselineVariant() {
    Map<String, Object> carried = new LinkedHashMap<>();
    carried.put("ContainerStartupHealthCheckTimeoutInSeconds", 900);
    carried.put("VolumeSizeInGB", 64);
    return new VariantSpec("AllTraffic", "fraud-scoring-v41", 2, "ml.g5.2xlarge", List.of(), null,
        1.0, carried);
  }

  static EndpointConfigSpec currentConfig(VariantSpec... variants) {
    Map<String, Object> carried = new LinkedHashMap<>();
    carried.put("DataCaptureConfig", Map.of("EnableCapture", true, "InitialSamplingPercentage", 20,
        "DestinationS3Uri", "s3://capture/fraud", "CaptureOptions", List.of(Map.of("CaptureMode", "Input"))));
    carried.put("KmsKeyId", "arn:aws:kms:us-east-1:111122223333:key/k");
    carried.put("MetricsConfig", Map.of("EnableDetailedObservability", true));
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("team", "risk");
    tags.put("aws:cloudformation:stack-name", "fraud");
    tags.put("poolshift:deployment", "an-earlier-one");
    return new EndpointConfigSpec("fraud-scoring-prod-cfg-41",
        variants.length == 0 ? List.of(baselineVariant()) : List.of(variants), tags, carried);
  }

  static EndpointState inService(String config, VariantState... variants) {
    return new EndpointState("fraud-scoring-prod", "InService", config, null,
        variants.length == 0 ? List.of(new VariantState("AllTraffic", 1.0, 1.0, 3, 3, List.of()))
            : List.of(variants), null, null);
  }

  static RolloutPlan plan(DeploymentProfile profile) {
    return RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab", PACKAGE,
        profile, inService("fraud-scoring-prod-cfg-41"), currentConfig()));
  }

  /** The default config made asynchronous. */
  static EndpointConfigSpec asyncConfig() {
    return currentConfig().withCarried("AsyncInferenceConfig", Map.of("OutputConfig",
        Map.of("S3OutputPath", "s3://out/fraud", "S3FailurePath", "s3://out/fraud-failed")));
  }

  static RolloutPlan asyncPlan(DeploymentProfile profile) {
    return RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab", PACKAGE,
        profile, inService("fraud-scoring-prod-cfg-41"), asyncConfig()));
  }

  @Test
  void anAsynchronousEndpointIsSwitchedBlueGreenAndKeepsItsAsyncConfigInTheFinalConfig() {
    RolloutPlan plan = asyncPlan(profile().build());

    assertThat(plan.blueGreenSwitch()).isTrue();
    assertThat(plan.finalConfig().carried().get("AsyncInferenceConfig"))
        .isEqualTo(asyncConfig().carried().get("AsyncInferenceConfig"));
    assertThat(plan.finalConfig().productionVariants()).singleElement().satisfies(v -> {
      assertThat(v.variantName()).isEqualTo("AllTraffic");
      assertThat(v.instancePools()).extracting(InstancePool::instanceType)
          .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
    });
    assertThat(plan(profile().build()).blueGreenSwitch()).as("a real-time endpoint").isFalse();
  }

  @Test
  void aP99SlaOnAnAsynchronousEndpointIsRefusedNamingTheField() {
    assertThatThrownBy(() -> asyncPlan(profile()
        .thresholds(new dev.poolshift.rollout.profile.Thresholds(0.001, 100)).build()))
        .isInstanceOf(dev.poolshift.rollout.InvalidInputException.class)
        .hasMessageContaining("thresholds.p99LatencyMs")
        .hasMessageContaining("asynchronous");
  }

  @Test
  void theCanaryConfigHoldsTheBaselineOnRankedPoolsItCanRunOnAndTheNewModelOnPoolsAtWeightZero() {
    RolloutPlan plan = plan(profile().build());

    EndpointConfigSpec canary = plan.canaryConfig();
    assertThat(canary.productionVariants()).hasSize(2);
    VariantSpec copy = canary.productionVariants().getFirst();
    assertThat(copy.variantName()).isEqualTo("AllTraffic");
    assertThat(copy.modelName()).isEqualTo("fraud-scoring-v41");
    assertThat(copy.initialVariantWeight()).isEqualTo(1.0);
    assertThat(copy.initialInstanceCount()).as("as many as it serves now").isEqualTo(3);
    assertThat(copy.instanceType()).isNull();
    assertThat(copy.instancePools()).as("its own type first; the g6 pool needs a g6 build of v41,"
        + " which no package says it has").extracting(InstancePool::instanceType)
        .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge");
    assertThat(copy.instancePools()).allSatisfy(p -> assertThat(p.modelNameOverride()).isNull());
    assertThat(copy.carried()).containsEntry("VolumeSizeInGB", 64);
    assertThat(plan.models()).as("nothing to build for the copy").hasSize(2);
    VariantSpec c = canary.variant("canary-v42");
    assertThat(c.initialVariantWeight()).isZero();
    assertThat(c.modelName()).isEqualTo(plan.models().getFirst().modelName());
    assertThat(c.instanceType()).isNull();
    assertThat(c.instancePools()).extracting(InstancePool::instanceType)
        .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
    assertThat(c.instancePools().get(2).modelNameOverride()).isEqualTo(plan.models().get(1).modelName());
    assertThat(c.routingStrategy()).isEqualTo("LEAST_OUTSTANDING_REQUESTS");
    assertThat(c.carried()).containsEntry("ContainerStartupHealthCheckTimeoutInSeconds", 900);
  }

  @Test
  void everyCreatedModelKeepsTheBaselineModelsVpcIsolationAndEnvironment() {
    ModelPackage v41 = new ModelPackage(ARN.replace("/42", "/41"), "fraud-scoring", 41,
        "Completed", "Approved", List.of("g6-int8"), Map.of());
    ModelSettings baseline = ModelSettings.fromDescribeModel(Map.of(
        "ModelName", "fraud-scoring-v41",
        "PrimaryContainer", Map.of("ModelPackageName", v41.arn(), "Environment",
            Map.of("SCORE_THRESHOLD", "0.7"), "ContainerHostname", "scorer"),
        "ExecutionRoleArn", "arn:aws:iam::111122223333:role/old",
        "EnableNetworkIsolation", true,
        "VpcConfig", Map.of("SecurityGroupIds", List.of("sg-1"), "Subnets", List.of("subnet-1"))));

    RolloutPlan plan = RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab",
        PACKAGE, profile().build(), inService("fraud-scoring-prod-cfg-41"), currentConfig(), v41,
        baseline));

    assertThat(plan.models()).as("the new version, its g6 build and v41's g6 build for the copy")
        .hasSize(3).allSatisfy(m -> {
          assertThat(m.carried().model()).isEqualTo(Map.of("EnableNetworkIsolation", true,
              "VpcConfig", Map.of("SecurityGroupIds", List.of("sg-1"),
                  "Subnets", List.of("subnet-1"))));
          assertThat(m.carried().container()).as("the package's own members are not settings")
              .isEqualTo(Map.of("Environment", Map.of("SCORE_THRESHOLD", "0.7"),
                  "ContainerHostname", "scorer"));
          assertThat(m.executionRoleArn()).as("the profile's role").isEqualTo(ROLE);
        });
  }

  @Test
  void eachPerPoolBuildKeepsTheSettingsOfTheModelTheBaselinesPoolOfThatTypeRuns() {
    ModelPackage v41 = new ModelPackage(ARN.replace("/42", "/41"), "fraud-scoring", 41,
        "Completed", "Approved", List.of("g6-int8"), Map.of());
    ModelSettings main = ModelSettings.fromDescribeModel(Map.of("ModelName", "fraud-scoring-v41",
        "PrimaryContainer", Map.of("ModelPackageName", v41.arn(),
            "Environment", Map.of("SCORE_THRESHOLD", "0.7"))));
    ModelSettings int8 = ModelSettings.fromDescribeModel(Map.of("ModelName", "fraud-scoring-v41-g6",
        "PrimaryContainer", Map.of("ModelPackageName", v41.arn(), "InferenceSpecificationName",
            "g6-int8", "Environment", Map.of("SCORE_THRESHOLD", "0.7", "QUANTIZATION", "int8"))));
    VariantSpec pooled = new VariantSpec("AllTraffic", "fraud-scoring-v41", 2, null, List.of(
        new InstancePool("ml.g5.2xlarge", 1, null),
        new InstancePool("ml.g6.2xlarge", 2, "fraud-scoring-v41-g6")), 1200, 1.0, Map.of());

    RolloutPlan plan = RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab",
        PACKAGE, profile().build(), inService("fraud-scoring-prod-cfg-41"), currentConfig(pooled),
        v41, main, null, Map.of("ml.g6.2xlarge", int8)));

    assertThat(plan.models()).hasSize(2).allSatisfy(m -> assertThat(m.carried().container())
        .as("model %s", m.modelName()).isEqualTo("g6-int8".equals(m.inferenceSpecificationName())
            ? int8.container() : main.container()));
    assertThat(plan.models()).filteredOn(m -> m.inferenceSpecificationName() != null)
        .singleElement().satisfies(m -> assertThat(m.carried().modelName())
            .isEqualTo("fraud-scoring-v41-g6"));
  }

  @Test
  void detailedObservabilityStaysOffForABaselineConfigThatPredatesIt() {
    EndpointConfigSpec old = currentConfig().withCarried("MetricsConfig",
        Map.of("EnableEnhancedMetrics", true));

    RolloutPlan plan = RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab",
        PACKAGE, profile().build(), inService("fraud-scoring-prod-cfg-41"), old));

    for (EndpointConfigSpec c : List.of(plan.canaryConfig(), plan.finalConfig())) {
      assertThat(c.carried().get("MetricsConfig")).isEqualTo(Map.of("EnableEnhancedMetrics", true,
          "EnableDetailedObservability", false));
    }
  }

  @Test
  void detailedObservabilityIsKeptAsTheBaselineConfigHasIt() {
    RolloutPlan plan = plan(profile().build());

    assertThat(plan.finalConfig().carried().get("MetricsConfig"))
        .isEqualTo(Map.of("EnableDetailedObservability", true));
  }

  @Test
  void theOtherVariantsOfAMultiVariantEndpointKeepTheirLiveWeightsThroughPromotion() {
    VariantSpec shadowish = new VariantSpec("Challenger", "fraud-scoring-v39", 1, "ml.c7i.4xlarge",
        List.of(), null, 0.5, Map.of());
    EndpointConfigSpec current = currentConfig(baselineVariant(), shadowish);
    EndpointState endpoint = inService("fraud-scoring-prod-cfg-41",
        new VariantState("AllTraffic", 0.8, 0.8, 3, 3, List.of()),
        new VariantState("Challenger", 0.2, 0.2, 1, 1, List.of()));

    RolloutPlan plan = RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab",
        PACKAGE, profile().variantName("AllTraffic").build(), endpoint, current));

    assertThat(plan.finalConfig().variant("Challenger").initialVariantWeight())
        .as("its live weight, not the config's 0.5").isEqualTo(0.2);
    assertThat(plan.finalConfig().variant("AllTraffic").initialVariantWeight()).isEqualTo(0.8);
    assertThat(plan.finalConfig().variant("Challenger").modelName()).isEqualTo("fraud-scoring-v39");
  }

  @Test
  void prefixAwareRoutingIsKeptUnlessTheProfileNamesAStrategy() {
    VariantSpec llm = baselineVariant().withCarried("RoutingConfig", Map.of("RoutingStrategy",
        "PREFIX_AWARE", "PrefixAwareRoutingConfig", Map.of("PrefixLength", 128)));

    RolloutPlan kept = RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab",
        PACKAGE, profile().build(), inService("fraud-scoring-prod-cfg-41"), currentConfig(llm)));
    RolloutPlan changed = RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab",
        PACKAGE, profile().routingStrategy("LEAST_OUTSTANDING_REQUESTS").build(),
        inService("fraud-scoring-prod-cfg-41"), currentConfig(llm)));

    assertThat(kept.finalConfig().variant("AllTraffic").carried().get("RoutingConfig"))
        .isEqualTo(llm.carried().get("RoutingConfig"));
    assertThat(kept.canaryConfig().variant("canary-v42").routingStrategy()).isEqualTo("PREFIX_AWARE");
    assertThat(changed.finalConfig().variant("AllTraffic").carried().get("RoutingConfig"))
        .isEqualTo(Map.of("RoutingStrategy", "LEAST_OUTSTANDING_REQUESTS"));
  }

  @Test
  void aBaselineModelThatIsAnInferencePipelineIsRefusedByName() {
    ModelSettings pipeline = ModelSettings.fromDescribeModel(Map.of("ModelName", "fraud-scoring-v41",
        "Containers", List.of(Map.of("Image", "pre:1"), Map.of("Image", "scorer:1"))));

    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab",
        PACKAGE, profile().build(), inService("fraud-scoring-prod-cfg-41"), currentConfig(), null,
        pipeline)))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("inference pipeline of 2 containers");
  }

  @Test
  void theBaselineCopyUsesTheBaselinePackagesOwnPerHardwareBuildOnAFallbackPool() {
    ModelPackage v41 = new ModelPackage(ARN.replace("/42", "/41"), "fraud-scoring", 41,
        "Completed", "Approved", List.of("g6-int8"), Map.of());

    RolloutPlan plan = RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab",
        PACKAGE, profile().build(), inService("fraud-scoring-prod-cfg-41"), currentConfig(), v41));

    VariantSpec copy = plan.canaryConfig().variant("AllTraffic");
    assertThat(copy.instancePools()).extracting(InstancePool::instanceType)
        .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
    String build = copy.instancePools().get(2).modelNameOverride();
    assertThat(plan.models()).filteredOn(m -> m.modelName().equals(build)).singleElement()
        .satisfies(m -> {
          assertThat(m.modelPackageArn()).isEqualTo(v41.arn());
          assertThat(m.inferenceSpecificationName()).isEqualTo("g6-int8");
          assertThat(m.tags()).containsEntry("poolshift:deployment", "fraud-scoring-v42-0123456789ab");
        });
    assertThat(plan.finalConfig().modelNames()).as("the copy's build does not outlive the canary")
        .doesNotContain(build);
  }

  @Test
  void aBaselineAlreadyOnPoolsOrWithNoOtherHardwareIsCopiedAsItIs() {
    RolloutPlan onlyG6 = plan(DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn(ROLE).pool("ml.g5.2xlarge").pool("ml.g6.2xlarge", "g6-int8").build());

    assertThat(onlyG6.canaryConfig().variant("AllTraffic")).isEqualTo(baselineVariant());
  }

  @Test
  void theNewVariantRunsAsManyInstancesAsTheBaselineServesNow() {
    // The config says 2; auto scaling has the live variant at 3.
    assertThat(plan(profile().build()).canaryConfig().variant("canary-v42").initialInstanceCount())
        .isEqualTo(3);
    assertThat(plan(profile().instanceCount(6).build()).canaryConfig().variant("canary-v42")
        .initialInstanceCount()).isEqualTo(6);
  }

  @Test
  void theFinalConfigKeepsTheBaselineNameWithTheNewModelOnPoolsAtWeightOne() {
    RolloutPlan plan = plan(profile().build());

    EndpointConfigSpec fin = plan.finalConfig();
    assertThat(fin.variantNames()).containsExactly("AllTraffic");
    VariantSpec v = fin.variant("AllTraffic");
    assertThat(v.modelName()).isEqualTo(plan.models().getFirst().modelName());
    assertThat(v.initialVariantWeight()).isEqualTo(1.0);
    assertThat(v.instancePools()).isEqualTo(plan.canaryConfig().variant("canary-v42").instancePools());
    assertThat(v.instanceType()).isNull();
  }

  @Test
  void configLevelFieldsAndUserTagsCarryOverAndPoolshiftTagsNameThisDeployment() {
    RolloutPlan plan = plan(profile().build());

    for (EndpointConfigSpec config : List.of(plan.canaryConfig(), plan.finalConfig())) {
      assertThat(config.carried()).isEqualTo(currentConfig().carried());
      assertThat(config.tags()).containsEntry("team", "risk")
          .containsEntry("poolshift:deployment", "fraud-scoring-v42-0123456789ab")
          .containsEntry("poolshift:model-package", ARN)
          .doesNotContainKey("aws:cloudformation:stack-name");
    }
    assertThat(plan.canaryConfig().tags()).containsEntry("poolshift:role", "canary");
    assertThat(plan.finalConfig().tags()).containsEntry("poolshift:role", "final");
  }

  @Test
  void enhancedMetricsAreSwitchedOnWithoutLosingOtherMetricsSettings() {
    RolloutPlan plan = plan(profile().enhancedMetrics(true).build());

    assertThat(plan.canaryConfig().carried().get("MetricsConfig")).isEqualTo(Map.of(
        "EnableDetailedObservability", true, "EnableEnhancedMetrics", true,
        "MetricPublishFrequencyInSeconds", 10));
  }

  @Test
  void modelsAreOnePerBuildTheNewVariantUsesFromTheApprovedPackage() {
    RolloutPlan plan = plan(profile().build());

    assertThat(plan.models()).extracting(ModelToCreate::inferenceSpecificationName)
        .containsExactly(null, "g6-int8");
    assertThat(plan.models()).allSatisfy(m -> {
      assertThat(m.modelPackageArn()).isEqualTo(ARN);
      assertThat(m.executionRoleArn()).isEqualTo(ROLE);
      assertThat(m.modelName()).hasSizeLessThanOrEqualTo(63).matches(SageMakerNames.NAME);
      assertThat(m.tags()).containsEntry("poolshift:deployment", "fraud-scoring-v42-0123456789ab");
    });
  }

  @Test
  void namesAreStableForADeploymentAndDifferForAnother() {
    RolloutPlan once = plan(profile().build());
    RolloutPlan again = plan(profile().build());
    RolloutPlan other = RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-ffffffffffff",
        PACKAGE, profile().build(), inService("fraud-scoring-prod-cfg-41"), currentConfig()));

    assertThat(again.canaryConfig().name()).isEqualTo(once.canaryConfig().name());
    assertThat(again.models()).isEqualTo(once.models());
    assertThat(other.canaryConfig().name()).isNotEqualTo(once.canaryConfig().name());
    assertThat(other.finalConfig().name()).isNotEqualTo(once.finalConfig().name());
    assertThat(other.models().getFirst().modelName()).isNotEqualTo(once.models().getFirst().modelName());
    assertThat(once.canaryConfig().name()).startsWith("fraud-scoring-prod-v42-canary-")
        .matches(SageMakerNames.NAME);
    assertThat(once.finalConfig().name()).startsWith("fraud-scoring-prod-v42-final-");
  }

  @Test
  void eachStepSetsAbsoluteWeightsAndRollbackRestoresTheBaseline() {
    RolloutPlan plan = plan(profile().build());

    assertThat(plan.weightsAt(plan.schedule().first())).containsExactly(
        new VariantWeight("AllTraffic", 0.9), new VariantWeight("canary-v42", 0.1));
    assertThat(plan.weightsAt(plan.schedule().step(2))).containsExactly(
        new VariantWeight("AllTraffic", 0.0), new VariantWeight("canary-v42", 1.0));
    assertThat(plan.baselineWeights()).containsExactly(
        new VariantWeight("AllTraffic", 1.0), new VariantWeight("canary-v42", 0.0));
  }

  @Test
  void updatesRetainLivePropertiesAndTheFinalOneTakesItsWeightFromTheConfig() {
    RolloutPlan plan = plan(profile().instanceCount(4).build());

    assertThat(plan.canaryUpdate(List.of("a"))).isEqualTo(new EndpointUpdate("fraud-scoring-prod",
        plan.canaryConfig().name(), true, List.of(), List.of("a")));
    assertThat(plan.finalUpdate(List.of())).isEqualTo(new EndpointUpdate("fraud-scoring-prod",
        plan.finalConfig().name(), true, List.of("DesiredWeight", "DesiredInstanceCount"), List.of()));
    assertThat(plan.restoreBaselineUpdate().endpointConfigName()).isEqualTo("fraud-scoring-prod-cfg-41");
  }

  @Test
  void aPerPoolBuildTheApprovedPackageDoesNotHaveIsNamed() {
    ModelPackage without = new ModelPackage(ARN, "fraud-scoring", 42, "Completed", "Approved",
        List.of("g6-fp16"), Map.of());

    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("dep", without, profile().build(),
        inService("fraud-scoring-prod-cfg-41"), currentConfig())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("instancePools[2].inferenceSpecificationName: \"g6-int8\" is not among"
            + " the package's AdditionalInferenceSpecifications [g6-fp16]");
  }

  @Test
  void aPackageRejectedAfterItsApprovalEventIsNotDeployed() {
    ModelPackage rejected = new ModelPackage(ARN, "fraud-scoring", 42, "Completed", "Rejected",
        List.of("g6-int8"), Map.of());

    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("dep", rejected,
        profile().build(), inService("fraud-scoring-prod-cfg-41"), currentConfig())))
        .isInstanceOf(ModelPackageNotDeployableException.class)
        .hasMessageContaining("ModelApprovalStatus=Rejected");
  }

  @Test
  void aBusyEndpointIsRetryableAndAFailedOneNeedsAPerson() {
    EndpointState updating = new EndpointState("fraud-scoring-prod", "Updating",
        "fraud-scoring-prod-cfg-41", null, List.of(), null, null);
    EndpointState failed = new EndpointState("fraud-scoring-prod", "Failed",
        "fraud-scoring-prod-cfg-41", "InsufficientInstanceCapacity", List.of(), null, null);

    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("dep", PACKAGE,
        profile().build(), updating, currentConfig())))
        .isInstanceOf(EndpointBusyException.class);
    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("dep", PACKAGE,
        profile().build(), failed, currentConfig())))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("InsufficientInstanceCapacity");
  }

  @Test
  void severalVariantsNeedTheProfileToNameTheOneToReplace() {
    VariantSpec b = new VariantSpec("Challenger", "fraud-scoring-exp", 1, "ml.g5.2xlarge", List.of(),
        null, 0.2, Map.of());
    EndpointConfigSpec two = currentConfig(baselineVariant().withWeight(0.8), b);
    EndpointState live = inService("fraud-scoring-prod-cfg-41",
        new VariantState("AllTraffic", 0.8, 0.8, 2, 2, List.of()),
        new VariantState("Challenger", 0.2, 0.2, 1, 1, List.of()));

    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("dep", PACKAGE,
        profile().build(), live, two)))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("set variantName");

    RolloutPlan plan = RolloutPlanner.plan(new RolloutRequest("dep", PACKAGE,
        profile().variantName("AllTraffic").build(), live, two));
    // The other variant is untouched; the canary takes its share of the baseline's 0.8.
    assertThat(plan.finalConfig().variant("Challenger")).isEqualTo(b);
    assertThat(plan.finalConfig().variant("AllTraffic").initialVariantWeight()).isEqualTo(0.8);
    assertThat(plan.weightsAt(plan.schedule().step(1))).containsExactly(
        new VariantWeight("AllTraffic", 0.4), new VariantWeight("canary-v42", 0.4));
  }

  @Test
  void aLeftoverCanaryVariantFromADeadRolloutStopsANewOne() {
    VariantSpec leftover = new VariantSpec("canary-v41", "fraud-scoring-v41", 1, null,
        List.of(new InstancePool("ml.g5.2xlarge", 1, null)), 1200, 0.0, Map.of());

    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("dep", PACKAGE,
        profile().variantName("AllTraffic").build(),
        inService("fraud-scoring-prod-cfg-41", new VariantState("AllTraffic", 1.0, 1.0, 2, 2, List.of()),
            new VariantState("canary-v41", 0.0, 0.0, 1, 1, List.of())),
        currentConfig(baselineVariant(), leftover))))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("canary variant canary-v41");
  }

  @Test
  void shadowVariantsLeaveNoRoomForACanary() {
    EndpointConfigSpec withShadow = currentConfig().withCarried("ShadowProductionVariants",
        List.of(Map.of("VariantName", "shadow", "ModelName", "m", "InstanceType", "ml.g5.2xlarge")));

    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("dep", PACKAGE,
        profile().build(), inService("fraud-scoring-prod-cfg-41"), withShadow)))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("shadow");
  }

  @Test
  void anEndpointThatMovedOnSinceItsConfigWasReadIsReadAgain() {
    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("dep", PACKAGE,
        profile().build(), inService("someone-elses-config"), currentConfig())))
        .isInstanceOf(EndpointBusyException.class)
        .hasMessageContaining("someone-elses-config");
  }

  @Test
  void thePlanAndTheEndpointStateTravelAsJsonWithoutLoss() throws Exception {
    RolloutPlan plan = plan(profile().enhancedMetrics(true).gateAlarmNames(List.of("x")).build());
    EndpointState state = new EndpointState("fraud-scoring-prod", "Updating", "c", null,
        List.of(new VariantState("AllTraffic", 0.9, 0.9, 3, 3,
            List.of(new PoolCount("ml.g6.2xlarge", 3)))), "p", List.of());

    String json = Json.write(plan);

    assertThat(Json.MAPPER.readValue(json, RolloutPlan.class)).isEqualTo(plan);
    assertThat(Json.MAPPER.readValue(Json.write(state), EndpointState.class)).isEqualTo(state);
    assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .as("fits comfortably in Step Functions' 256 KiB state").isLessThan(16_384);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aPlanWrittenBeforeReleasesAndCopiesReadsBackAsThePackageItShips() throws Exception {
    RolloutPlan plan = plan(profile().build());
    Map<String, Object> old = Json.MAPPER.readValue(Json.write(plan), Map.class);
    old.remove("release");
    ((List<Map<String, Object>>) old.get("models")).forEach(m ->
        ((Map<String, Object>) m.get("carried")).remove("artefacts"));

    RolloutPlan read = Json.MAPPER.readValue(Json.write(old), RolloutPlan.class);

    assertThat(read).isEqualTo(plan);
    assertThat(read.shipped().modelPackage().version()).isEqualTo(42);
  }

  @Test
  void aMigrateOfAModelOutsideTheRegistryTravelsAsJsonWithoutLoss() throws Exception {
    ModelSettings handmade = ModelSettings.fromDescribeModel(Map.of("ModelName", "fraud-scoring-v41",
        "PrimaryContainer", Map.of("Image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "ModelDataUrl", "s3://b/model.tar.gz")));
    RolloutPlan plan = RolloutPlanner.plan(new RolloutRequest("migrate-1", null,
        DeploymentProfile.builder().endpointName("fraud-scoring-prod").executionRoleArn(ROLE)
            .pool("ml.g5.2xlarge").pool("ml.g5.4xlarge").build(),
        inService("fraud-scoring-prod-cfg-41"), currentConfig(), null, handmade,
        dev.poolshift.rollout.endpoint.Release.ofModel("fraud-scoring-v41")));

    RolloutPlan read = Json.MAPPER.readValue(Json.write(plan), RolloutPlan.class);

    assertThat(read).isEqualTo(plan);
    assertThat(read.modelPackageArn()).isNull();
    assertThat(read.models()).singleElement().satisfies(m ->
        assertThat(m.carried().artefacts()).containsEntry("ModelDataUrl", "s3://b/model.tar.gz"));
  }

  @Test
  void aDeploymentIdThatCannotBeATagIsRejected() {
    assertThatThrownBy(() -> RolloutPlanner.plan(new RolloutRequest("has space", PACKAGE,
        profile().build(), inService("fraud-scoring-prod-cfg-41"), currentConfig())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("deploymentId:");
  }
}
