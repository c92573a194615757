package dev.poolshift.rollout.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.SageMakerNames;
import dev.poolshift.rollout.plan.RolloutPlan;
import org.junit.jupiter.api.Test;

class ReleaseTest {
  private static final String ARN =
      "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42";

  @Test
  void aStoredPackageArnReadsBackAsThatPackage() {
    Release r = Release.parse("modelPackageArn", ARN);

    assertThat(r.fromRegistry()).isTrue();
    assertThat(r.modelPackage().version()).isEqualTo(42);
    assertThat(r.wire()).isEqualTo(ARN);
  }

  @Test
  void aModelNameReadsBackAsAModelOutsideTheRegistry() {
    Release r = Release.parse("modelName", "churn-xgb-2026-05");

    assertThat(r.fromRegistry()).isFalse();
    assertThat(r.modelName()).isEqualTo("churn-xgb-2026-05");
    assertThat(Release.parse("x", r.wire())).isEqualTo(r);
    assertThat(r.sameAs("Churn-XGB-2026-05")).as("SageMaker names ignore case").isTrue();
    assertThat(r.sameAs(ARN)).isFalse();
  }

  @Test
  void aNameThatIsNotASageMakerNameIsRefusedNamingTheField() {
    assertThatThrownBy(() -> Release.parse("modelName", "churn/xgb"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("modelName");
    assertThatThrownBy(() -> Release.parse("modelPackageArn", "arn:aws:sagemaker:us-east-1:"
        + "111122223333:model-package/fraud-scoring"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("modelPackageArn");
  }

  @Test
  void namesForACopyAreValidDistinctPerDeploymentAndKeepThePackageNamesAsTheyWere() {
    Release model = Release.ofModel("a-model-name-that-is-already-sixty-characters-long-abcdefghij");
    String first = ResourceNames.model(model, "migrate-1", null);
    String second = ResourceNames.model(model, "migrate-2", null);

    for (String name : new String[] {first, second,
        ResourceNames.endpointConfig("churn-scoring-prod", model, "migrate-1", ResourceNames.CANARY_CONFIG),
        ResourceNames.endpointConfig("churn-scoring-prod", model, "migrate-1", ResourceNames.FINAL_CONFIG),
        ResourceNames.canaryVariant(model)}) {
      assertThat(SageMakerNames.isName(name)).as(name).isTrue();
      assertThat(name.length()).isLessThanOrEqualTo(63);
    }
    assertThat(first).isNotEqualTo(second);
    assertThat(ResourceNames.CANARY_VARIANT.matcher(ResourceNames.canaryVariant(model)).matches()).isTrue();
    ModelPackageArn pkg = ModelPackageArn.parse(ARN);
    assertThat(ResourceNames.model(Release.of(pkg), "d", null))
        .isEqualTo(ResourceNames.model(pkg, "d", null));
    assertThat(ResourceNames.canaryVariant(Release.of(pkg))).isEqualTo("canary-v42");
  }

  @Test
  void aPlanWrittenBeforeReleasesHadNamesShipsItsPackage() {
    RolloutPlan old = new RolloutPlan("d", "ep", ARN, "cfg", "AllTraffic", 1.0, "canary-v42",
        java.util.List.of(), null, null, null, null, false, null, null);

    assertThat(old.release()).isEqualTo(ARN);
    assertThat(old.shipped().modelPackage()).isEqualTo(ModelPackageArn.parse(ARN));
  }
}
