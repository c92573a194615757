package dev.poolshift.rollout.usecase;

import static dev.poolshift.rollout.usecase.RolloutWorld.BASELINE_CONFIG;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the plan step carries over from the endpoint, and what it refuses, before any change. */
class CarryOverStepsTest {
  private static final ModelSettings VPC = new ModelSettings("fraud-scoring-v41",
      Map.of("EnableNetworkIsolation", true, "VpcConfig", Map.of("SecurityGroupIds",
          List.of("sg-1"), "Subnets", List.of("subnet-1", "subnet-2"))),
      Map.of("Environment", Map.of("SCORE_THRESHOLD", "0.7")), 1);

  private final RolloutWorld world = new RolloutWorld();

  private static Map<String, Object> migrateRequest(boolean dryRun) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("action", dryRun ? "plan" : "migrate");
    r.put("endpointName", ENDPOINT);
    if (dryRun) {
      r.put("modelPackageArn", RolloutWorld.ARN);
    }
    r.put("trigger", Map.of("source", "console", "by", "alice@example.com"));
    return r;
  }

  @Test
  void aMigrateBuildsItsModelsWithTheBaselineModelsSettings() {
    world.sageMaker.packages.put(FakeSageMaker.key(RolloutWorld.OLD_ARN),
        new dev.poolshift.rollout.endpoint.ModelPackage(RolloutWorld.OLD_ARN, RolloutWorld.GROUP,
            41, "Completed", "Approved", List.of("g6-int8"), Map.of()));
    world.sageMaker.modelSettings.put("fraud-scoring-v41", VPC);

    PlanDocument plan = (PlanDocument) world.run(world.call("plan").request(migrateRequest(false)));

    assertThat(plan.rollout().models()).isNotEmpty().allSatisfy(m -> {
      assertThat(m.modelPackageArn()).isEqualTo(RolloutWorld.OLD_ARN);
      assertThat(m.carried().model()).isEqualTo(VPC.model());
      assertThat(m.carried().container()).isEqualTo(VPC.container());
    });
  }

  @Test
  void aBaselineAlreadyOnPoolsGivesEachPoolsNewBuildThatPoolsOwnModelSettings() {
    ModelSettings int8 = new ModelSettings("fraud-scoring-v41-g6", Map.of(),
        Map.of("Environment", Map.of("QUANTIZATION", "int8")), 1, RolloutWorld.OLD_ARN);
    onPools();
    world.sageMaker.modelSettings.put("fraud-scoring-v41", VPC);
    world.sageMaker.modelSettings.put("fraud-scoring-v41-g6", int8);

    PlanDocument plan = world.plan();

    assertThat(plan.rollout().models()).hasSize(2).allSatisfy(m ->
        assertThat(m.carried().container()).as("model %s", m.modelName())
            .isEqualTo(m.inferenceSpecificationName() == null ? VPC.container() : int8.container()));
  }

  @Test
  void aPoolModelOfTheBaselineThatIsGoneIsRefusedBeforeAnythingChanges() {
    onPools();
    world.sageMaker.missingModels.add("fraud-scoring-v41-g6");

    assertThatThrownBy(() -> world.plan())
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("runs model fraud-scoring-v41-g6 on its ml.g6.2xlarge pool, which no"
            + " longer exists");
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.store.lockOf(ENDPOINT)).isEmpty();
  }

  /** The baseline variant on g5 and g6 pools, the g6 pool running v41's own int8 build. */
  private void onPools() {
    EndpointConfigSpec c = world.sageMaker.configs.get(BASELINE_CONFIG);
    world.sageMaker.configs.put(BASELINE_CONFIG, new EndpointConfigSpec(BASELINE_CONFIG,
        List.of(new dev.poolshift.rollout.endpoint.VariantSpec("AllTraffic", "fraud-scoring-v41", 2,
            null, List.of(new dev.poolshift.rollout.endpoint.InstancePool("ml.g5.2xlarge", 1, null),
                new dev.poolshift.rollout.endpoint.InstancePool("ml.g6.2xlarge", 2,
                    "fraud-scoring-v41-g6")), 1200, 1.0, Map.of())), c.tags(), c.carried()));
  }

  @Test
  void aBaselineModelThatIsGoneIsRefusedBeforeAnythingChanges() {
    world.sageMaker.missingModels.add("fraud-scoring-v41");

    assertThatThrownBy(() -> world.plan())
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("runs model fraud-scoring-v41, which no longer exists");
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.store.lockOf(ENDPOINT)).isEmpty();
  }

  @Test
  void aKmsKeyOntoLocalNvmeTypesIsRefusedByNameBeforeTheLockAndTheModels() {
    encryptBaseline();

    assertThatThrownBy(() -> world.plan())
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("KmsKeyId: ")
        .hasMessageContaining("have local NVMe instance storage");
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.store.lockOf(ENDPOINT)).isEmpty();
  }

  @Test
  void theDryRunShowsTheRefusalAndWhatIsCarriedOver() {
    encryptBaseline();
    world.sageMaker.modelSettings.put("fraud-scoring-v41", VPC);

    PlanDocument plan = (PlanDocument) world.run(world.call("plan").request(migrateRequest(true)));

    assertThat(plan.risks()).anyMatch(r -> r.startsWith("would be REJECTED: KmsKeyId: "))
        .anyMatch(r -> r.startsWith("carried over: every new model keeps [")
            && r.contains("VpcConfig") && r.contains("EnableNetworkIsolation")
            && r.contains("PrimaryContainer.Environment] of model fraud-scoring-v41"))
        .anyMatch(r -> r.startsWith("carried over: MetricsConfig.EnableDetailedObservability ="
            + " false (config " + BASELINE_CONFIG + " predates the field"))
        .anyMatch(r -> r.startsWith("carried over: variant AllTraffic routes {RoutingStrategy="
            + "LEAST_OUTSTANDING_REQUESTS} (it set none"));
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  private void encryptBaseline() {
    EndpointConfigSpec baseline = world.sageMaker.configs.get(BASELINE_CONFIG);
    world.sageMaker.configs.put(BASELINE_CONFIG, baseline.withCarried("KmsKeyId",
        "arn:aws:kms:us-east-1:111122223333:key/k"));
  }
}
