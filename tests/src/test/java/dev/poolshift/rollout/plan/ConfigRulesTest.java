package dev.poolshift.rollout.plan;

import static dev.poolshift.rollout.plan.RolloutPlannerTest.PACKAGE;
import static dev.poolshift.rollout.plan.RolloutPlannerTest.currentConfig;
import static dev.poolshift.rollout.plan.RolloutPlannerTest.inService;
import static dev.poolshift.rollout.plan.RolloutPlannerTest.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.FieldError;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.profile.DeploymentProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRulesTest {
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/k";

  /** A KMS-encrypted endpoint on ml.c7i (EBS only), with nothing else carried. */
  private static EndpointConfigSpec kmsOnC7i() {
    VariantSpec v = new VariantSpec("AllTraffic", "fraud-scoring-v41", 2, "ml.c7i.4xlarge",
        List.of(), null, 1.0, Map.of());
    return new EndpointConfigSpec("fraud-scoring-prod-cfg-41", List.of(v), Map.of(),
        Map.of("KmsKeyId", KEY));
  }

  private static RolloutPlan plan(DeploymentProfile profile, EndpointConfigSpec current) {
    return RolloutPlanner.plan(new RolloutRequest("fraud-scoring-v42-0123456789ab", PACKAGE,
        profile, inService(current.name(), new VariantState("AllTraffic", 1.0, 1.0, 2, 2,
            List.of())), current));
  }

  @Test
  void aKmsKeyMovingOntoTypesWithLocalNvmeStorageIsNamedWithTheTypes() {
    RolloutPlan plan = plan(profile().build(), kmsOnC7i());

    List<FieldError> broken = ConfigRules.check(plan);

    assertThat(broken).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("KmsKeyId");
      assertThat(e.message()).contains(KEY)
          .contains("[ml.g5.2xlarge, ml.g5.4xlarge, ml.g6.2xlarge] have local NVMe")
          .contains("CreateEndpointConfig refuses a KmsKeyId");
    });
  }

  @Test
  void aKmsKeyOnPoolsWithoutLocalStorageIsFine() {
    DeploymentProfile onCpu = DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn(RolloutPlannerTest.ROLE).pool("ml.c7i.4xlarge").pool("ml.m7i.4xlarge")
        .build();

    assertThat(ConfigRules.check(plan(onCpu, kmsOnC7i()))).isEmpty();
  }

  @Test
  void aSinglePoolListIsNamed() {
    DeploymentProfile onePool = DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn(RolloutPlannerTest.ROLE).pool("ml.c7i.4xlarge").build();

    List<FieldError> broken = ConfigRules.check(plan(onePool, kmsOnC7i().withCarried("KmsKeyId",
        null)));

    assertThat(broken).extracting(FieldError::path).containsOnly("instancePools");
    assertThat(broken.getFirst().message()).contains("would list 1 pool (ml.c7i.4xlarge)")
        .contains("2–5 instance pools");
  }

  @Test
  void anInstanceTypeSageMakerDoesNotHostIsNamed() {
    DeploymentProfile typo = DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn(RolloutPlannerTest.ROLE).pool("ml.g5.2xlarge").pool("ml.g5.3xlarge")
        .build();

    List<FieldError> broken = ConfigRules.check(plan(typo, currentConfig(
        RolloutPlannerTest.baselineVariant().withCarried("VolumeSizeInGB", null))
        .withCarried("KmsKeyId", null)));

    assertThat(broken).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("instancePools");
      assertThat(e.message()).startsWith("ml.g5.3xlarge is not an instance type SageMaker hosts"
          + " endpoints on");
    });
  }

  @Test
  void aVolumeSizeOnAnEbsTypeMovingOntoPoolsWithLocalStorageIsNamed() {
    EndpointConfigSpec current = kmsOnC7i().withCarried("KmsKeyId", null);
    VariantSpec withVolume = current.productionVariants().getFirst().withCarried("VolumeSizeInGB", 200);
    EndpointConfigSpec config = new EndpointConfigSpec(current.name(), List.of(withVolume),
        Map.of(), Map.of());

    List<FieldError> broken = ConfigRules.check(plan(profile().build(), config));

    assertThat(broken).extracting(FieldError::path).containsOnly("VolumeSizeInGB");
    assertThat(broken.getFirst().message()).contains("VolumeSizeInGB 200")
        .contains("have local NVMe storage");
  }

  @Test
  void aGpuAmiOnPoolsWithACpuTypeAndACapacityReservationOnPoolsAreNamed() {
    VariantSpec gpu = RolloutPlannerTest.baselineVariant().withCarried("VolumeSizeInGB", null)
        .withCarried("InferenceAmiVersion", "al2-ami-sagemaker-inference-gpu-3-1")
        .withCarried("CapacityReservationConfig", Map.of("CapacityReservationPreference",
            "capacity-reservations-only"));
    DeploymentProfile withCpu = DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn(RolloutPlannerTest.ROLE).pool("ml.g5.2xlarge").pool("ml.c7i.4xlarge")
        .build();

    List<FieldError> broken = ConfigRules.check(plan(withCpu,
        currentConfig(gpu).withCarried("KmsKeyId", null)));

    assertThat(broken).extracting(FieldError::path)
        .containsOnly("InferenceAmiVersion", "CapacityReservationConfig");
    assertThat(broken).filteredOn(e -> e.path().equals("InferenceAmiVersion"))
        .allSatisfy(e -> assertThat(e.message()).contains("[ml.c7i.4xlarge] have no GPU"));
  }
}
