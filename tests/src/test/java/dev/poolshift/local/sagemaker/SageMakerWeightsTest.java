package dev.poolshift.local.sagemaker;

import static dev.poolshift.local.sagemaker.CapacityPoint.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

class SageMakerWeightsTest {
  private static final String GPU = "ml.g5.2xlarge";
  private final SageMakerFixture f = new SageMakerFixture();
  private String v1;
  private String v2;

  /** Two variants: baseline (v1, weight 1) and canary (v2, weight 0), one instance each. */
  @BeforeEach
  void canaryEndpoint() {
    v1 = f.world.seedModelPackageVersion("churn-model", "Approved", "img:1", Map.of());
    v2 = f.world.seedModelPackageVersion("churn-model", "Approved", "img:2", Map.of());
    f.world.seedModelFromPackage("churn-v1", v1, null);
    f.world.seedModelFromPackage("churn-v2", v2, null);
    ObjectNode cfg = SageMakerFixture.singleTypeConfig("cfg-canary", "churn-v1", GPU, 1);
    ((ObjectNode) cfg.get("ProductionVariants").get(0)).put("VariantName", "baseline");
    ((ArrayNode) cfg.get("ProductionVariants")).addObject().put("VariantName", "canary").put("ModelName", "churn-v2")
        .put("InstanceType", GPU).put("InitialInstanceCount", 1).put("InitialVariantWeight", 0.0);
    f.world.seedEndpointConfig(cfg);
    f.world.seedEndpoint("churn-prod", "cfg-canary");
  }

  @AfterEach
  void close() {
    f.close();
  }

  private void shift(float baseline, float canary) {
    f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod").desiredWeightsAndCapacities(
        DesiredWeightAndCapacity.builder().variantName("baseline").desiredWeight(baseline).build(),
        DesiredWeightAndCapacity.builder().variantName("canary").desiredWeight(canary).build()));
  }

  private ProductionVariantSummary variant(String name) {
    return f.client.describeEndpoint(b -> b.endpointName("churn-prod")).productionVariants().stream()
        .filter(v -> v.variantName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aWeightChangeTellsServingListenersAboutThatEndpointOnly() {
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-other", "churn-v1", GPU, 1));
    f.world.seedEndpoint("churn-shadow", "cfg-other");
    List<java.util.Set<String>> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.world.onServingChangeOf(told::add);

    f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("CHURN-PROD").desiredWeightsAndCapacities(
        DesiredWeightAndCapacity.builder().variantName("baseline").desiredWeight(0.5f).build()));
    f.sim.runUntilIdle(SageMakerFixture.T0.plus(Duration.ofHours(1)));

    assertThat(told).isNotEmpty().allSatisfy(names -> assertThat(names).containsExactly("churn-prod"));
  }

  @Test
  void desiredWeightsShowAtOnceAndCurrentWeightsFollowAfterTheUpdateDuration() {
    assertThat(f.world.requireEndpoint("churn-prod").trafficShareByModelPackage()).containsExactly(Map.entry(v1, 1.0));

    shift(0.9f, 0.1f);

    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("Updating");
    assertThat(variant("canary").desiredWeight()).isEqualTo(0.1f);
    assertThat(variant("canary").currentWeight()).isEqualTo(0.0f);
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(f.elapsed()).isEqualTo(Duration.ofSeconds(45));
    assertThat(variant("canary").currentWeight()).isEqualTo(0.1f);
    assertThat(f.world.requireEndpoint("churn-prod").trafficShareByModelPackage())
        .hasEntrySatisfying(v2, share -> assertThat(share).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-6)));
    List<JsonNode> events = f.endpointEvents("churn-prod").stream().map(e -> e.detail()).toList();
    assertThat(events).extracting(e -> e.path("EndpointStatus").asText())
        .containsExactly("UPDATING", "IN_SERVICE", "IN_SERVICE");
    assertThat(events.get(0).path("ProductionVariants")).extracting(v -> v.path("DesiredWeight").asDouble())
        .containsExactly(0.9, 0.1).as("float precision of the SDK's weights");
  }

  @Test
  void aSecondWeightChangeWhileUpdatingIsRejected() {
    shift(0.9f, 0.1f);

    assertThatThrownBy(() -> shift(0.5f, 0.5f)).isInstanceOfSatisfying(SageMakerException.class,
        e -> assertThat(e.awsErrorDetails().errorMessage()).startsWith("Cannot update in-progress endpoint"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    shift(0.5f, 0.5f);
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(variant("canary").currentWeight()).isEqualTo(0.5f);
  }

  @Test
  void anUnknownVariantOrTwoCapacityChangesInOneCallAreRejected() {
    assertThatThrownBy(() -> f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(w -> w.variantName("shadow").desiredWeight(1f))))
        .hasMessageContaining("The variant name(s) [shadow] is/are not present");
    assertThatThrownBy(() -> f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(
            DesiredWeightAndCapacity.builder().variantName("baseline").desiredInstanceCount(2).build(),
            DesiredWeightAndCapacity.builder().variantName("canary").desiredInstanceCount(2).build())))
        .hasMessageContaining("only one variant per call");
    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("InService");
  }

  @Test
  void aScaleOutWithoutCapacityRollsBackToTheFormerCount() {
    f.world.setCapacity(GPU, List.of(point(0, 2)));

    f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(w -> w.variantName("baseline").desiredInstanceCount(2)));
    f.runUntilStatus("churn-prod", "RollingBack", Duration.ofHours(1));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    ProductionVariantSummary baseline = variant("baseline");
    assertThat(baseline.desiredInstanceCount()).isEqualTo(1);
    assertThat(baseline.currentInstanceCount()).isEqualTo(1);
    assertThat(f.client.describeEndpoint(b -> b.endpointName("churn-prod")).failureReason())
        .contains("InsufficientInstanceCapacity");
    assertThat(f.endpointEventStatuses("churn-prod")).containsExactly("UPDATING", "ROLLING_BACK", "IN_SERVICE",
        "IN_SERVICE");
  }
}
