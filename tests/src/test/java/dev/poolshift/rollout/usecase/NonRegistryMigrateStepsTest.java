package dev.poolshift.rollout.usecase;

import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.ProfileNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.PoolPreference;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plan of a migrate whose endpoint serves a model that did not come from the Model Registry:
 * what it builds, and what it refuses by name before anything changes.
 */
class NonRegistryMigrateStepsTest {
  private static final String MODEL = "fraud-xgb-handmade";
  private static final String CONFIG = "fraud-scoring-prod-handmade";
  private static final Map<String, Object> ARTEFACTS = Map.of(
      "Image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud-xgb:0.9",
      "ModelDataUrl", "s3://fraud-models/xgb/0.9/model.tar.gz");
  private static final ModelSettings HANDMADE = new ModelSettings(MODEL,
      Map.of("EnableNetworkIsolation", true, "VpcConfig", Map.of("SecurityGroupIds",
          List.of("sg-1"), "Subnets", List.of("subnet-1"))),
      Map.of("Environment", Map.of("SCORE_THRESHOLD", "0.7")), 1, null, ARTEFACTS);

  private final RolloutWorld world = new RolloutWorld();

  NonRegistryMigrateStepsTest() {
    // The endpoint runs a model created from an image; its config carries no Poolshift tag.
    world.sageMaker.configs.put(CONFIG, new EndpointConfigSpec(CONFIG, List.of(new VariantSpec(
        "AllTraffic", MODEL, 2, "ml.g5.2xlarge", List.of(), null, 1.0, Map.of())),
        Map.of("team", "risk"), Map.of()));
    world.sageMaker.endpointOn(ENDPOINT, CONFIG);
    world.sageMaker.modelSettings.put(MODEL, HANDMADE);
    world.profiles.byGroup.put(ENDPOINT, samePools(RolloutWorld.profile()));
  }

  /** The profile's pools without the per-hardware build, which only a package has. */
  private static DeploymentProfile samePools(DeploymentProfile p) {
    return p.toBuilder().instancePools(p.instancePools().stream()
        .map(x -> new PoolPreference(x.instanceType(), x.priority(), null)).toList()).build();
  }

  private static Map<String, Object> migrate(String modelName) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("action", "migrate");
    r.put("endpointName", ENDPOINT);
    if (modelName != null) {
      r.put("modelName", modelName);
    }
    r.put("trigger", Map.of("source", "console", "by", "alice@example.com"));
    return r;
  }

  private PlanDocument plan(String modelName) {
    return (PlanDocument) world.run(world.call("plan").request(migrate(modelName)));
  }

  @Test
  void theNewVariantRunsACopyOfTheModelWithItsImageModelDataAndSettings() {
    PlanDocument plan = plan(MODEL);

    assertThat(plan.modelPackageArn()).as("no package").isNull();
    assertThat(plan.rollout().release()).isEqualTo(MODEL);
    assertThat(plan.rollout().models()).singleElement().satisfies(m -> {
      assertThat(m.copiesModel()).isTrue();
      assertThat(m.modelPackageArn()).isNull();
      assertThat(m.inferenceSpecificationName()).isNull();
      assertThat(m.carried().artefacts()).isEqualTo(ARTEFACTS);
      assertThat(m.carried().model()).isEqualTo(HANDMADE.model());
      assertThat(m.carried().container()).isEqualTo(HANDMADE.container());
      assertThat(m.modelName()).startsWith(MODEL + "-copy-");
      assertThat(m.tags()).containsEntry(EndpointConfigSpec.MODEL_TAG, MODEL)
          .doesNotContainKey(EndpointConfigSpec.MODEL_PACKAGE_TAG);
    });
    VariantSpec canary = plan.rollout().canaryConfig().variant(plan.canaryVariantName());
    assertThat(plan.canaryVariantName()).matches("canary-m[0-9a-f]{8}");
    assertThat(canary.modelName()).isEqualTo(plan.models().getFirst());
    assertThat(canary.instancePools()).allSatisfy(p -> assertThat(p.modelNameOverride()).isNull());
    assertThat(plan.rollout().finalConfig().variant("AllTraffic").modelName())
        .isEqualTo(plan.models().getFirst());
    assertThat(plan.rollout().canaryConfig().tags())
        .containsEntry(EndpointConfigSpec.MODEL_TAG, MODEL).containsEntry("team", "risk");
    assertThat(plan.risks()).anySatisfy(r -> assertThat(r).startsWith("model " + MODEL
        + " (not from the Model Registry): the new variant runs a copy of it (" + plan.models()
            .getFirst()));
    assertThat(plan.rollout().schedule().steps()).as("canaried like every migrate")
        .containsExactly(10, 50, 100);
  }

  @Test
  void aMigrateNamingNeitherMovesTheModelTheEndpointServes() {
    PlanDocument plan = plan(null);

    assertThat(plan.rollout().release()).isEqualTo(MODEL);
    assertThat(plan.rollout().models()).extracting(ModelToCreate::copiesModel).containsExactly(true);
  }

  @Test
  void anotherModelThanTheEndpointServesIsRefusedNamingModelName() {
    world.sageMaker.modelSettings.put("fraud-xgb-other", new ModelSettings("fraud-xgb-other",
        Map.of(), Map.of(), 1, null, ARTEFACTS));

    assertThatThrownBy(() -> plan("fraud-xgb-other"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("modelName: migrate keeps the model endpoint " + ENDPOINT
            + " serves (model " + MODEL + " (not from the Model Registry))");
    assertNothingChanged();
  }

  @Test
  void aModelThatDoesNotExistIsRefusedByNameBeforeAnyChange() {
    world.sageMaker.missingModels.add("fraud-xgb-gone");

    assertThatThrownBy(() -> plan("fraud-xgb-gone"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("modelName: no model named fraud-xgb-gone");
    assertNothingChanged();
  }

  @Test
  void anInferencePipelineIsRefusedByNameBeforeAnyChange() {
    world.sageMaker.modelSettings.put(MODEL, new ModelSettings(MODEL, Map.of(), Map.of(), 2, null,
        ARTEFACTS));

    assertThatThrownBy(() -> plan(MODEL))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("runs model " + MODEL + ", an inference pipeline of 2 containers");
    assertNothingChanged();
  }

  @Test
  void aModelWithoutAnImageToCopyIsRefusedByName() {
    world.sageMaker.modelSettings.put(MODEL, new ModelSettings(MODEL, Map.of(), Map.of(), 1, null,
        Map.of("ModelDataUrl", "s3://fraud-models/xgb/0.9/model.tar.gz")));

    assertThatThrownBy(() -> plan(MODEL))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("whose primary container has no Image to copy");
    assertNothingChanged();
  }

  @Test
  void aPerHardwareBuildInTheProfileIsRefusedNamingThePool() {
    world.profiles.byGroup.put(ENDPOINT, RolloutWorld.profile());

    assertThatThrownBy(() -> plan(MODEL))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("instancePools[2].inferenceSpecificationName: model " + MODEL
            + " did not come from the Model Registry");
    assertNothingChanged();
  }

  @Test
  void withoutAProfileUnderTheEndpointsNameItSaysWhereTheProfileIsLookedFor() {
    world.profiles.byGroup.remove(ENDPOINT);

    assertThatThrownBy(() -> plan(MODEL))
        .isInstanceOf(ProfileNotFoundException.class)
        .hasMessageContaining("no deployment profile for endpoint " + ENDPOINT)
        .hasMessageContaining("stored under the endpoint's name");
    assertNothingChanged();
  }

  @Test
  void theCopyIsCreatedOnceAndARetryFindsItsOwnModel() {
    PlanDocument plan = plan(MODEL);

    world.run(world.call("createModels").plan(plan));
    world.run(world.call("createModels").plan(plan));

    ModelToCreate created = world.sageMaker.models.get(plan.models().getFirst());
    assertThat(created.carried().artefacts()).isEqualTo(ARTEFACTS);
    assertThat(world.sageMaker.mutations).filteredOn(m -> m.startsWith("CreateModel")).hasSize(1);
  }

  private void assertNothingChanged() {
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.store.lockOf(ENDPOINT)).isEmpty();
  }
}
