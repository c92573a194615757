package dev.poolshift.local.sagemaker;

import static dev.poolshift.local.sagemaker.CapacityPoint.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;

class SageMakerInstancePoolsTest {
  private static final String G6E = "ml.g6e.2xlarge";
  private static final String G6 = "ml.g6.2xlarge";
  private static final String G5 = "ml.g5.2xlarge";

  private final SageMakerFixture f = new SageMakerFixture();
  private String v1;

  @BeforeEach
  void registry() {
    v1 = f.approvedPackage();
    f.world.seedModelFromPackage("churn-v1", v1, null);
    f.world.seedModelFromPackage("churn-v1-g6", v1, "g6-int4");
  }

  @AfterEach
  void close() {
    f.close();
  }

  private void create(ObjectNode config) {
    f.ok("CreateEndpointConfig", config);
    f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName(config.get("EndpointConfigName").asText()));
  }

  private static Map<String, Integer> pools(JsonNode variant) {
    Map<String, Integer> m = new java.util.LinkedHashMap<>();
    variant.path("InstancePools").forEach(p -> m.put(p.path("InstanceType").asText(), p.path("CurrentInstanceCount").asInt()));
    return m;
  }

  @Test
  void aShortageOnPriorityOneFallsBackToPriorityTwoForTheRest() {
    f.world.setCapacity(G6E, List.of(point(0, 2)));

    create(SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 3, 1200, G6E, null, G6, null, G5, null));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    JsonNode d = f.describeEndpoint("churn-prod");
    JsonNode variant = d.at("/ProductionVariants/0");
    assertThat(pools(variant)).containsExactly(Map.entry(G6E, 2), Map.entry(G6, 1));
    assertThat(variant.path("CurrentInstanceCount").asInt()).isEqualTo(3);
    assertThat(variant.has("InstanceType")).as("summaries have no InstanceType").isFalse();
    assertThat(f.world.requireEndpoint("churn-prod").variant("primary").orElseThrow().instances())
        .extracting(InstanceView::priority).containsExactlyInAnyOrder(1, 1, 2);
  }

  @Test
  void capacityThatAppearsWithinTheProvisionTimeoutIsPickedUp() {
    f.world.setCapacity(G6E, List.of(point(0, 0), point(600, 3)));
    f.world.setCapacity(G6, List.of(point(0, 0)));

    create(SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 3, 1200, G6E, null, G6, null));
    f.sim.advance(Duration.ofSeconds(599));
    JsonNode waiting = f.describeEndpoint("churn-prod");
    assertThat(waiting.at("/PendingDeploymentSummary/ProductionVariants/0/VariantStatus/0/StatusMessage").asText())
        .contains("0 of 3 placed").contains("waiting for capacity");
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    assertThat(f.elapsed()).isEqualTo(Duration.ofSeconds(600).plus(Duration.ofMinutes(7)).plusSeconds(30));
    assertThat(pools(f.describeEndpoint("churn-prod").at("/ProductionVariants/0"))).containsExactly(Map.entry(G6E, 3));
  }

  @Test
  void theProvisionTimeoutIsOneBudgetForAllPools() {
    f.world.setCapacity(G6E, List.of(point(0, 1)));
    f.world.setCapacity(G6, List.of(point(0, 0), point(400, 5)));

    create(SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 2, 300, G6E, null, G6, null));
    f.runUntilStatus("churn-prod", "Failed", Duration.ofHours(1));

    assertThat(f.elapsed()).isEqualTo(Duration.ofSeconds(300));
    assertThat(f.world.requireEndpoint("churn-prod").failureReason())
        .contains("InsufficientInstanceCapacity").contains("VariantInstanceProvisionTimeoutInSeconds (300 s)")
        .contains("placed 1 of 2");
    f.sim.advance(f.world.timings().fleetTermination());
    assertThat(f.world.heldInstances(G6E)).as("the partial placement is released").isZero();
  }

  @Test
  void withoutATimeoutAPooledVariantGivesUpAfterTheMinimumOf300Seconds() {
    f.world.setCapacity(G6E, List.of(point(0, 0)));
    f.world.setCapacity(G6, List.of(point(0, 0)));

    create(SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 1, null, G6E, null, G6, null));
    f.runUntilStatus("churn-prod", "Failed", Duration.ofHours(1));

    assertThat(f.elapsed()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void aPoolWithAModelOverrideRunsThatModelsBuild() {
    f.world.setCapacity(G6E, List.of(point(0, 1)));

    create(SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 2, 1200, G6E, null, G6, "churn-v1-g6"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    VariantView v = f.world.requireEndpoint("churn-prod").variant("primary").orElseThrow();
    assertThat(v.servingInstances()).extracting(InstanceView::instanceType, InstanceView::modelName,
            InstanceView::inferenceSpecificationName, InstanceView::modelPackageArn)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(G6E, "churn-v1", null, v1),
            org.assertj.core.groups.Tuple.tuple(G6, "churn-v1-g6", "g6-int4", v1));
    assertThat(v.servingByInstanceType()).containsExactly(Map.entry(G6E, 1), Map.entry(G6, 1));
    assertThat(f.describeEndpoint("churn-prod").at("/ProductionVariants/0/DeployedImages")).hasSize(2);
  }

  @Test
  void scaleInRemovesTheLowestPriorityInstancesFirstAndScaleOutTriesPriorityOneFirst() {
    f.world.setCapacity(G6E, List.of(point(0, 2), point(3600, 3)));
    f.world.seedEndpointConfig(SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 3, 1200, G6E, null, G6, null));
    f.world.seedEndpoint("churn-prod", "cfg-pools");
    assertThat(pools(f.describeEndpoint("churn-prod").at("/ProductionVariants/0")))
        .containsExactly(Map.entry(G6E, 2), Map.entry(G6, 1));

    f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(w -> w.variantName("primary").desiredInstanceCount(2)));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(pools(f.describeEndpoint("churn-prod").at("/ProductionVariants/0"))).containsExactly(Map.entry(G6E, 2));

    f.sim.advance(Duration.ofHours(1));
    f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(w -> w.variantName("primary").desiredInstanceCount(3)));
    JsonNode scaling = f.describeEndpoint("churn-prod").at("/ProductionVariants/0");
    assertThat(scaling.path("DesiredInstanceCount").asInt()).isEqualTo(3);
    assertThat(scaling.path("CurrentInstanceCount").asInt()).isEqualTo(2);
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    assertThat(pools(f.describeEndpoint("churn-prod").at("/ProductionVariants/0"))).containsExactly(Map.entry(G6E, 3));
  }

  @Test
  void aQuotaBelowTheRequestIsAResourceLimitExceededAtOnce() {
    f.world.setInstanceQuota(G5, 2);
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-g5", "churn-v1", G5, 3));

    assertThatThrownBy(() -> f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-g5")))
        .isInstanceOfSatisfying(ResourceLimitExceededException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .startsWith("The account-level service limit 'ml.g5.2xlarge for endpoint usage' is 2 Instances, "
                + "with current utilization of 0 Instances and a request delta of 3 Instances."));
    assertThat(f.world.endpoint("churn-prod")).isEmpty();
  }

  @Test
  void everyPoolTypeNeedsAQuotaOfAtLeastOne() {
    f.world.setInstanceQuota(G6, 0);

    f.ok("CreateEndpointConfig", SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 1, 1200, G6E, null, G6, null));
    SageMakerFixture.Raw r = f.call("CreateEndpoint",
        LocalJson.object().put("EndpointName", "churn-prod").put("EndpointConfigName", "cfg-pools"));

    assertThat(r.errorCode()).isEqualTo("ResourceLimitExceeded");
    assertThat(r.message()).contains("'ml.g6.2xlarge for endpoint usage' is 0 Instances");
  }

  @Test
  void seedingHonoursCapacityAndSaysWhatDidNotFit() {
    f.world.setCapacity(G5, List.of(point(0, 1)));
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-g5", "churn-v1", G5, 2));

    assertThatThrownBy(() -> f.world.seedEndpoint("churn-prod", "cfg-g5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 2 instances but only 0 fit the capacity and quota of [ml.g5.2xlarge]");
    assertThat(f.world.heldInstances(G5)).isZero();
  }
}
