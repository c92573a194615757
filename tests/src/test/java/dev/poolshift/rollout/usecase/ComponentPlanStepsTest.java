package dev.poolshift.rollout.usecase;

import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.component.ComponentPlan;
import dev.poolshift.rollout.component.ComponentSpecification;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan of a rollout on an inference-component endpoint, and its dry run. */
class ComponentPlanStepsTest {
  static final String IC_CONFIG = "fraud-scoring-prod-ic-cfg";
  static final String COMPONENT = "fraud-scoring-ic";
  static final Map<String, Object> COMPUTE =
      Map.of("NumberOfAcceleratorDevicesRequired", 1, "MinMemoryRequiredInMb", 4096);

  private final RolloutWorld world = new RolloutWorld();

  /** The endpoint's variant names no model; one component runs v41 on it. */
  static void componentEndpoint(RolloutWorld world, List<InstancePool> pools,
      List<ComponentSpecification> specs) {
    Map<String, Object> carried = new LinkedHashMap<>();
    carried.put("RoutingConfig", Map.of("RoutingStrategy", "LEAST_OUTSTANDING_REQUESTS"));
    VariantSpec variant = pools.isEmpty()
        ? new VariantSpec("AllTraffic", null, 2, "ml.g5.2xlarge", List.of(), null, 1.0, carried)
        : new VariantSpec("AllTraffic", null, 2, null, pools, 1200, 1.0, carried);
    world.sageMaker.configs.put(IC_CONFIG, new EndpointConfigSpec(IC_CONFIG, List.of(variant),
        Map.of("team", "risk"), Map.of("ExecutionRoleArn",
            "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution")));
    world.sageMaker.endpointOn(ENDPOINT, IC_CONFIG);
    for (ComponentSpecification s : specs) {
      world.sageMaker.models.putIfAbsent(s.modelName(), new ModelToCreate(s.modelName(),
          RolloutWorld.OLD_ARN, null, null, Map.of(), ModelSettings.none(s.modelName())));
    }
    world.components.put(new ComponentState(COMPONENT, ENDPOINT, "AllTraffic", "InService", null,
        specs, 4, 4, Map.of("ml.g5.2xlarge", 4)));
  }

  static List<ComponentSpecification> single() {
    return List.of(new ComponentSpecification(null, "fraud-scoring-v41", COMPUTE,
        Map.of("StartupParameters", Map.of("ContainerStartupHealthCheckTimeoutInSeconds", 600))));
  }

  static final List<InstancePool> POOLS = List.of(new InstancePool("ml.g5.2xlarge", 1, null),
      new InstancePool("ml.g5.4xlarge", 2, null), new InstancePool("ml.g6.2xlarge", 3, null));

  private PlanDocument dryRun() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("action", "plan");
    r.put("endpointName", ENDPOINT);
    r.put("modelPackageArn", RolloutWorld.ARN);
    r.put("trigger", Map.of("source", "console", "by", "alice@example.com"));
    return (PlanDocument) world.run(world.call("plan").request(r));
  }

  @Test
  void theDryRunShowsThePooledConfigEachTypesSpecificationTheRollingUpdateAndItsAlarms() {
    componentEndpoint(world, List.of(), single());

    PlanDocument plan = dryRun();

    ComponentPlan c = plan.components();
    assertThat(plan.rollout()).isNull();
    assertThat(c.pooledConfig()).isNotNull();
    VariantSpec pooled = c.pooledConfig().variant("AllTraffic");
    assertThat(pooled.modelName()).isNull();
    assertThat(pooled.instanceType()).isNull();
    assertThat(pooled.instancePools()).extracting(InstancePool::instanceType)
        .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
    assertThat(pooled.instancePools()).allSatisfy(p -> assertThat(p.modelNameOverride()).isNull());
    assertThat(c.pooledConfig().carried()).containsEntry("ExecutionRoleArn",
        "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution");
    assertThat(plan.finalConfigName()).isEqualTo(c.pooledConfig().name());

    ComponentUpdate update = c.updates().getFirst();
    assertThat(update.inferenceComponentName()).isEqualTo(COMPONENT);
    List<String> models = plan.models();
    assertThat(models).hasSize(2);
    assertThat(update.specifications()).extracting(ComponentSpecification::instanceType)
        .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
    assertThat(update.specifications()).extracting(ComponentSpecification::modelName)
        .containsExactly(models.get(0), models.get(0), models.get(1));
    assertThat(models.get(1)).contains("g6-int8");
    assertThat(update.specifications()).allSatisfy(s -> {
      assertThat(s.computeResourceRequirements()).isEqualTo(COMPUTE);
      assertThat(s.carried()).containsKey("StartupParameters");
    });
    assertThat(update.batchPercent()).isEqualTo(10);
    assertThat(update.waitIntervalSeconds()).isEqualTo(600);
    assertThat(update.autoRollbackAlarms())
        .contains("poolshift-fraud-scoring-prod-fraud-scoring-ic-5xx-rate",
            "poolshift-fraud-scoring-prod-fraud-scoring-ic-5xx-rate-g6-2xlarge",
            RolloutWorld.GATE_ALARM)
        .hasSizeLessThanOrEqualTo(10);
    assertThat(c.restores().getFirst().specifications()).isEqualTo(single());
    assertThat(plan.managedAlarms()).allMatch(a -> a.startsWith("poolshift-fraud-scoring-prod-"
        + COMPONENT));
    assertThat(plan.configDiff()).anySatisfy(d -> {
      assertThat(d.path()).isEqualTo("InferenceComponents[" + COMPONENT + "].Specifications");
      assertThat(d.before()).isEqualTo(List.of("every type: fraud-scoring-v41"));
    });
    assertThat(plan.risks()).anyMatch(r -> r.contains("rolling update"));
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.components.updates).isEmpty();
  }

  @Test
  void aVariantAlreadyOnPoolsKeepsItsEndpointConfig() {
    componentEndpoint(world, POOLS, single());

    PlanDocument plan = dryRun();

    assertThat(plan.components().pooledConfig()).isNull();
    assertThat(plan.finalConfigName()).isEqualTo(IC_CONFIG);
    assertThat(plan.components().pools()).isEqualTo(POOLS);
  }

  @Test
  void aVariantNotOnPoolsIsPlannedToMoveOntoThemRatherThanRefused() {
    componentEndpoint(world, List.of(), single());

    PlanDocument plan = world.plan();

    assertThat(plan.components().pooledConfig()).isNotNull();
    assertThat(plan.finalConfigName()).isEqualTo(plan.components().pooledConfig().name());
    assertThat(plan.risks()).anyMatch(r -> r.contains("the endpoint moves onto")
        && r.contains(plan.components().pooledConfig().name()));
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void aVariantNotOnPoolsWhoseConfigRunsAnotherRoleIsRefusedNamingBothRoles() {
    componentEndpoint(world, List.of(), single());
    EndpointConfigSpec config = world.sageMaker.configs.get(IC_CONFIG);
    world.sageMaker.configs.put(IC_CONFIG, new EndpointConfigSpec(IC_CONFIG,
        config.productionVariants(), config.tags(),
        Map.of("ExecutionRoleArn", "arn:aws:iam::111122223333:role/ic-hosting")));

    assertThatThrownBy(world::plan).isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("arn:aws:iam::111122223333:role/ic-hosting")
        .hasMessageContaining("sagemaker-fraud-scoring-execution")
        .hasMessageContaining("iam:PassRole");
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void perTypeSpecificationsKeepEachTypesComputeAndAPoolTypeWithoutOneIsRefusedByName() {
    componentEndpoint(world, POOLS, List.of(
        new ComponentSpecification("ml.g5.2xlarge", "fraud-scoring-v41", COMPUTE, Map.of()),
        new ComponentSpecification("ml.g5.4xlarge", "fraud-scoring-v41", COMPUTE, Map.of())));

    assertThatThrownBy(world::plan)
        .hasMessageContaining("instancePools")
        .hasMessageContaining("no Specifications entry for ml.g6.2xlarge");
  }

  @Test
  void componentsOfAnotherGroupAreLeftAloneAndNoneOfTheGroupIsRefused() {
    componentEndpoint(world, POOLS, single());
    world.components.components.clear();
    world.sageMaker.models.put("churn-v3", new ModelToCreate("churn-v3",
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/churn/3", null, null, Map.of(),
        ModelSettings.none("churn-v3")));
    world.components.put(new ComponentState("churn-ic", ENDPOINT, "AllTraffic", "InService", null,
        List.of(new ComponentSpecification(null, "churn-v3", COMPUTE, Map.of())), 1, 1, Map.of()));

    assertThatThrownBy(world::plan)
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("no inference component on it runs a model of group fraud-scoring")
        .hasMessageContaining("churn-ic");

    world.components.put(new ComponentState(COMPONENT, ENDPOINT, "AllTraffic", "InService", null,
        single(), 4, 4, Map.of()));
    PlanDocument plan = world.plan();
    assertThat(plan.components().componentNames()).containsExactly(COMPONENT);
    assertThat(plan.components().untouched()).containsExactly("churn-ic");
  }

  @Test
  void aComponentThatIsNotInServiceMakesTheEndpointBusy() {
    componentEndpoint(world, POOLS, single());
    world.components.put(new ComponentState(COMPONENT, ENDPOINT, "AllTraffic", "Updating", null,
        single(), 4, 2, Map.of()));

    assertThatThrownBy(world::plan).isInstanceOf(EndpointBusyException.class)
        .hasMessageContaining("Updating");
  }

  @Test
  void aComponentWithAContainerBesideItsModelIsRefusedByName() {
    componentEndpoint(world, POOLS, List.of(new ComponentSpecification(null, "fraud-scoring-v41",
        COMPUTE, Map.of("Container", Map.of("DeployedImage", Map.of("SpecifiedImage", "img:1"))))));

    assertThatThrownBy(world::plan).isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("sets Container [DeployedImage] beside ModelName");
  }
}
