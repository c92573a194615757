package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.VariantProperty;

class SageMakerEndpointLifecycleTest {
  private static final String GPU = "ml.g5.2xlarge";
  /** GPU launch (5 min) + model start (2 min), the default timings. */
  private static final Duration FLEET_UP = Duration.ofMinutes(7);
  private static final Duration ACTIVATION = Duration.ofSeconds(30);
  private static final Duration TERMINATION = Duration.ofMinutes(2);

  private final SageMakerFixture f = new SageMakerFixture();
  private String v1;
  private String v2;

  @BeforeEach
  void registry() {
    v1 = f.world.seedModelPackageVersion("churn-model", "Approved", SageMakerFixture.IMAGE, Map.of());
    v2 = f.world.seedModelPackageVersion("churn-model", "Approved", SageMakerFixture.IMAGE.replace("3.2.0", "3.3.0"),
        Map.of());
    f.world.seedModelFromPackage("churn-v1", v1, null);
    f.world.seedModelFromPackage("churn-v2", v2, null);
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-v1", "churn-v1", GPU, 2));
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-v2", "churn-v2", GPU, 2));
  }

  @AfterEach
  void close() {
    f.close();
  }

  private void assertValidation(Runnable call, String messagePrefix) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(SageMakerException.class, e -> {
      assertThat(e).isNotInstanceOf(ResourceNotFoundException.class);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
      assertThat(e.awsErrorDetails().errorMessage()).startsWith(messagePrefix);
    });
  }

  @Test
  void createGoesFromCreatingToInServiceOnceTheFleetIsUpAndTrafficIsActivated() {
    f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v1")
        .tags(t -> t.key("app").value("churn")));

    JsonNode creating = f.describeEndpoint("churn-prod");
    assertThat(creating.path("EndpointStatus").asText()).isEqualTo("Creating");
    assertThat(creating.path("EndpointConfigName").asText()).isEqualTo("cfg-v1");
    assertThat(creating.has("ProductionVariants")).isFalse();
    assertThat(creating.at("/PendingDeploymentSummary/ProductionVariants/0/VariantStatus/0/Status").asText())
        .isEqualTo("Creating");
    assertThat(creating.at("/PendingDeploymentSummary/ProductionVariants/0/InstanceType").asText()).isEqualTo(GPU);

    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    assertThat(f.elapsed()).isEqualTo(FLEET_UP.plus(ACTIVATION));
    DescribeEndpointResponse d = f.client.describeEndpoint(b -> b.endpointName("churn-prod"));
    assertThat(d.endpointArn()).isEqualTo("arn:aws:sagemaker:us-east-1:111122223333:endpoint/churn-prod");
    assertThat(d.pendingDeploymentSummary()).isNull();
    assertThat(d.productionVariants()).singleElement().satisfies(v -> {
      assertThat(v.currentInstanceCount()).isEqualTo(2);
      assertThat(v.desiredInstanceCount()).isEqualTo(2);
      assertThat(v.currentWeight()).isEqualTo(1.0f);
      assertThat(v.deployedImages()).singleElement().satisfies(i -> {
        assertThat(i.specifiedImage()).isEqualTo(SageMakerFixture.IMAGE);
        assertThat(i.resolvedImage()).contains("@sha256:");
      });
    });
    assertThat(d.lastModifiedTime()).isEqualTo(SageMakerFixture.T0.plus(FLEET_UP).plus(ACTIVATION));
    assertThat(f.world.requireEndpoint("churn-prod").variant("primary").orElseThrow().servingByModelPackage())
        .containsExactly(Map.entry(v1, 2));
  }

  @Test
  void aMissingEndpointIsAValidationExceptionNotResourceNotFound() {
    assertValidation(() -> f.client.describeEndpoint(b -> b.endpointName("churn-prod")),
        "Could not find endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/churn-prod\"");
    assertValidation(() -> f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v1")),
        "Could not find endpoint");
    assertValidation(() -> f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("nope")),
        "Could not find endpoint configuration \"arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/nope\"");
  }

  @Test
  void blueGreenUpdateKeepsTheOldFleetServingUntilTheNewOneIsReady() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));

    JsonNode updating = f.describeEndpoint("churn-prod");
    assertThat(updating.path("EndpointStatus").asText()).isEqualTo("Updating");
    assertThat(updating.path("EndpointConfigName").asText()).isEqualTo("cfg-v1");
    assertThat(updating.at("/ProductionVariants/0/CurrentInstanceCount").asInt()).isEqualTo(2);
    assertThat(updating.at("/PendingDeploymentSummary/EndpointConfigName").asText()).isEqualTo("cfg-v2");
    assertThat(f.world.heldInstances(GPU)).as("old and new fleet both hold capacity").isEqualTo(4);

    f.sim.advance(FLEET_UP.plus(ACTIVATION).minusSeconds(1));
    EndpointView almost = f.world.requireEndpoint("churn-prod");
    assertThat(almost.status()).isEqualTo("Updating");
    assertThat(almost.variant("primary").orElseThrow().servingByModelPackage()).containsExactly(Map.entry(v1, 2));
    assertThat(f.describeEndpoint("churn-prod").at("/PendingDeploymentSummary/ProductionVariants/0/VariantStatus/0/Status")
        .asText()).isEqualTo("ActivatingTraffic");

    f.sim.advance(Duration.ofSeconds(1));
    EndpointView switched = f.world.requireEndpoint("churn-prod");
    assertThat(switched.variant("primary").orElseThrow().servingByModelPackage()).containsExactly(Map.entry(v2, 2));
    assertThat(switched.status()).as("the old fleet is still being terminated").isEqualTo("Updating");
    assertThat(switched.configName()).isEqualTo("cfg-v1");

    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(f.elapsed()).isEqualTo(FLEET_UP.plus(ACTIVATION).plus(TERMINATION));
    DescribeEndpointResponse done = f.client.describeEndpoint(b -> b.endpointName("churn-prod"));
    assertThat(done.endpointConfigName()).isEqualTo("cfg-v2");
    assertThat(done.pendingDeploymentSummary()).isNull();
    assertThat(done.failureReason()).isNull();
    assertThat(f.world.heldInstances(GPU)).isEqualTo(2);
    assertThat(f.endpointEventStatuses("churn-prod")).containsExactly("UPDATING", "IN_SERVICE", "IN_SERVICE");
  }

  @Test
  void anUpdateThatCannotGetCapacityForTheWholeNewFleetRollsBackToTheOldConfig() {
    // Exactly enough g5 for one fleet: the update re-provisions the unchanged variant too.
    f.world.setCapacity(GPU, java.util.List.of(CapacityPoint.point(0, 2)));
    f.world.seedEndpoint("churn-prod", "cfg-v1");

    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    DescribeEndpointResponse d = f.client.describeEndpoint(b -> b.endpointName("churn-prod"));
    assertThat(d.endpointConfigName()).isEqualTo("cfg-v1");
    assertThat(d.failureReason()).contains("Unable to provision requested ML compute capacity")
        .contains("InsufficientInstanceCapacity").contains("Consider configuring InstancePools");
    assertThat(d.pendingDeploymentSummary()).isNull();
    assertThat(f.elapsed()).isEqualTo(f.world.timings().singleTypeCapacityFailure());
    assertThat(f.world.requireEndpoint("churn-prod").variant("primary").orElseThrow().servingByModelPackage())
        .containsExactly(Map.entry(v1, 2));
    JsonNode last = f.endpointEvents("churn-prod").getLast().detail();
    assertThat(last.path("EndpointStatus").asText()).isEqualTo("IN_SERVICE");
    assertThat(last.path("EndpointConfigName").asText()).isEqualTo("cfg-v1");
    assertThat(last.path("FailureReason").asText()).contains("InsufficientInstanceCapacity");
  }

  @Test
  void aFailedContainerHealthCheckRollsTheUpdateBackWithAFailureReason() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    f.world.failNextDeploymentHealthCheck("churn-prod");

    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    assertThat(f.elapsed()).isEqualTo(FLEET_UP);
    EndpointView e = f.world.requireEndpoint("churn-prod");
    assertThat(e.configName()).isEqualTo("cfg-v1");
    assertThat(e.failureReason()).contains("did not pass the ping health check");
    assertThat(e.variant("primary").orElseThrow().servingByModelPackage()).containsExactly(Map.entry(v1, 2));
    f.sim.advance(TERMINATION);
    assertThat(f.world.heldInstances(GPU)).as("the failed fleet's capacity is freed").isEqualTo(2);

    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(f.world.requireEndpoint("churn-prod").configName()).as("the fault was one-shot").isEqualTo("cfg-v2");
    assertThat(f.world.requireEndpoint("churn-prod").failureReason()).isNull();
  }

  @Test
  void anInProgressEndpointRejectsEveryWrite() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));
    String busy = "Cannot update in-progress endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/churn-prod\"";

    assertValidation(() -> f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v1")), busy);
    assertValidation(() -> f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(w -> w.variantName("primary").desiredWeight(0.5f))), busy);
    assertValidation(() -> f.client.deleteEndpoint(b -> b.endpointName("churn-prod")), busy);
    assertThat(f.world.mutations()).extracting(SageMakerMutation::errorCode)
        .containsExactly(null, "ValidationException", "ValidationException", "ValidationException");
  }

  @Test
  void aFailedEndpointAcceptsOnlyDelete() {
    f.world.setCapacity(GPU, java.util.List.of(CapacityPoint.point(0, 1)));
    f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v1"));
    f.runUntilStatus("churn-prod", "Failed", Duration.ofHours(1));
    assertThat(f.client.describeEndpoint(b -> b.endpointName("churn-prod")).failureReason())
        .startsWith("Unable to provision requested ML compute capacity due to InsufficientInstanceCapacity error.");

    assertValidation(() -> f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2")),
        "Cannot update failed endpoint");
    assertValidation(() -> f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(w -> w.variantName("primary").desiredWeight(0.5f))), "Cannot update failed");
    f.client.deleteEndpoint(b -> b.endpointName("churn-prod"));
    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("Deleting");
    f.runUntilGone("churn-prod", Duration.ofHours(1));

    assertValidation(() -> f.client.describeEndpoint(b -> b.endpointName("churn-prod")), "Could not find endpoint");
    assertThat(f.endpointEventStatuses("churn-prod")).containsExactly("CREATING", "FAILED", "FAILED", "DELETING");
  }

  @Test
  void aSystemUpdatingWindowRejectsWritesAndThenReturnsToInService() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    f.world.systemUpdating("churn-prod", SageMakerFixture.T0.plusSeconds(60), SageMakerFixture.T0.plusSeconds(600));

    f.sim.advance(Duration.ofSeconds(60));
    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("SystemUpdating");
    assertValidation(() -> f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2")),
        "Cannot update in-progress endpoint");
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    assertThat(f.elapsed()).isEqualTo(Duration.ofSeconds(600));
    assertThat(f.endpointEventStatuses("churn-prod")).containsExactly("SYSTEM_UPDATING", "IN_SERVICE", "IN_SERVICE");
  }

  @Test
  void aSilentRollbackLeavesTheOldConfigWithoutAFailureReason() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    f.world.rollBackNextUpdateSilently("churn-prod");

    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    DescribeEndpointResponse d = f.client.describeEndpoint(b -> b.endpointName("churn-prod"));
    assertThat(d.endpointConfigName()).isEqualTo("cfg-v1");
    assertThat(d.failureReason()).isNull();
    assertThat(f.world.requireEndpoint("churn-prod").trafficShareByModelPackage()).containsOnlyKeys(v1);
  }

  @Test
  void aFailedRollbackLeavesTheEndpointServingOldAndNewInstances() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    f.world.failNextUpdateRollback("churn-prod");

    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));
    f.runUntilStatus("churn-prod", "UpdateRollbackFailed", Duration.ofHours(1));

    EndpointView e = f.world.requireEndpoint("churn-prod");
    assertThat(e.failureReason()).contains("rollback");
    assertThat(e.variant("primary").orElseThrow().servingByModelPackage()).containsEntry(v1, 2).containsEntry(v2, 2);
    assertThat(f.endpointEventStatuses("churn-prod")).endsWith("UPDATE_ROLLBACK_FAILED");
    // Not an in-progress status: a human can repair it with another UpdateEndpoint.
    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(f.world.requireEndpoint("churn-prod").trafficShareByModelPackage()).containsOnlyKeys(v2);
  }

  @Test
  void retainAllVariantPropertiesKeepsTheCurrentCountAndWeightUnlessExcluded() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-v2-one", "churn-v2", GPU, 1));

    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2-one")
        .retainAllVariantProperties(true));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(f.world.requireEndpoint("churn-prod").variant("primary").orElseThrow().currentInstanceCount()).isEqualTo(2);

    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2-one")
        .retainAllVariantProperties(true)
        .excludeRetainedVariantProperties(VariantProperty.builder().variantPropertyType("DesiredInstanceCount").build()));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(f.world.requireEndpoint("churn-prod").variant("primary").orElseThrow().currentInstanceCount()).isEqualTo(1);
  }

  @Test
  void anAutoRollbackAlarmInAlarmWhileBakingPutsTrafficBackOnTheOldFleet() {
    Map<String, String> alarms = new ConcurrentHashMap<>(Map.of("churn-5xx", "OK"));
    f.world.setAlarmStateSource(alarms::get);
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    ObjectNode update = LocalJson.object().put("EndpointName", "churn-prod").put("EndpointConfigName", "cfg-v2");
    ObjectNode dc = update.putObject("DeploymentConfig");
    dc.putObject("BlueGreenUpdatePolicy").put("TerminationWaitInSeconds", 600)
        .putObject("TrafficRoutingConfiguration").put("Type", "ALL_AT_ONCE").put("WaitIntervalInSeconds", 300);
    dc.putObject("AutoRollbackConfiguration").putArray("Alarms").addObject().put("AlarmName", "churn-5xx");
    f.ok("UpdateEndpoint", update);

    f.sim.advance(FLEET_UP.plus(ACTIVATION).plusSeconds(60));
    assertThat(f.world.requireEndpoint("churn-prod").trafficShareByModelPackage()).containsOnlyKeys(v2);
    assertThat(f.describeEndpoint("churn-prod").at("/PendingDeploymentSummary/ProductionVariants/0/VariantStatus/0/Status")
        .asText()).isEqualTo("Baking");
    alarms.put("churn-5xx", "ALARM");
    f.sim.advance(Duration.ofSeconds(10));

    EndpointView rollingBack = f.world.requireEndpoint("churn-prod");
    assertThat(rollingBack.status()).isEqualTo("RollingBack");
    assertThat(rollingBack.trafficShareByModelPackage()).containsOnlyKeys(v1);
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    EndpointView after = f.world.requireEndpoint("churn-prod");
    assertThat(after.configName()).isEqualTo("cfg-v1");
    assertThat(after.failureReason()).contains("churn-5xx");
    assertThat(f.describeEndpoint("churn-prod").at("/LastDeploymentConfig/AutoRollbackConfiguration/Alarms/0/AlarmName")
        .asText()).isEqualTo("churn-5xx");
  }

  @Test
  void deletingFreesTheNameAfterDeletingAndTheCapacityAfterTermination() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");

    f.client.deleteEndpoint(b -> b.endpointName("churn-prod"));
    assertValidation(() -> f.client.createEndpoint(b -> b.endpointName("CHURN-PROD").endpointConfigName("cfg-v1")),
        "Cannot create already existing endpoint");
    f.runUntilGone("churn-prod", Duration.ofHours(1));

    assertThat(f.elapsed()).isEqualTo(f.world.timings().endpointDeletion());
    f.sim.advance(TERMINATION);
    assertThat(f.world.heldInstances(GPU)).isZero();
    assertThat(f.client.listEndpoints().endpoints()).isEmpty();
  }

  @Test
  void deletingTheTargetConfigDuringAnUpdateFailsTheUpdate() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));

    f.client.deleteEndpointConfig(b -> b.endpointConfigName("cfg-v2"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    EndpointView e = f.world.requireEndpoint("churn-prod");
    assertThat(e.configName()).isEqualTo("cfg-v1");
    assertThat(e.failureReason()).startsWith("Could not find endpoint configuration");
    assertThat(e.trafficShareByModelPackage()).containsOnlyKeys(v1);
  }

  @Test
  void guardrailPoliciesAreValidatedAndNeedTheSameVariantNames() {
    f.world.seedEndpoint("churn-prod", "cfg-v1");
    ObjectNode renamed = SageMakerFixture.singleTypeConfig("cfg-v2-renamed", "churn-v2", GPU, 2);
    ((ObjectNode) renamed.get("ProductionVariants").get(0)).put("VariantName", "green");
    f.world.seedEndpointConfig(renamed);
    ObjectNode update = LocalJson.object().put("EndpointName", "churn-prod").put("EndpointConfigName", "cfg-v2");
    ObjectNode canary = update.putObject("DeploymentConfig").putObject("BlueGreenUpdatePolicy")
        .putObject("TrafficRoutingConfiguration").put("Type", "CANARY").put("WaitIntervalInSeconds", 600);

    assertThat(f.call("UpdateEndpoint", update).message())
        .isEqualTo("1 validation error detected: Value null at "
            + "'deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.canarySize' failed to satisfy "
            + "constraint: Member must not be null");
    canary.put("WaitIntervalInSeconds", 3601);
    canary.putObject("CanarySize").put("Type", "CAPACITY_PERCENT").put("Value", 10);
    assertThat(f.call("UpdateEndpoint", update).message()).contains("waitIntervalInSeconds")
        .contains("less than or equal to 3600");
    canary.put("WaitIntervalInSeconds", 600);
    update.put("EndpointConfigName", "cfg-v2-renamed");
    assertThat(f.call("UpdateEndpoint", update).message()).contains("keep the variant names")
        .contains("variant green");
    update.put("EndpointConfigName", "cfg-v2");
    assertThat(f.call("UpdateEndpoint", update).status()).isEqualTo(200);
  }

  @Test
  void anEndpointsSeededTagsAreItsOwnAndOutliveAnUpdateToAnotherConfig() {
    f.world.seedEndpoint("churn-prod", "cfg-v1", Map.of("poolshift:managed", "true"));
    String arn = f.world.requireEndpoint("churn-prod").arn();

    f.client.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v2"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    assertThat(f.client.listTags(b -> b.resourceArn(arn)).tags()).extracting(t -> t.key() + "=" + t.value())
        .containsExactly("poolshift:managed=true");
    String configArn = f.client.describeEndpointConfig(b -> b.endpointConfigName("cfg-v2")).endpointConfigArn();
    assertThat(f.client.listTags(b -> b.resourceArn(configArn)).tags()).as("the config's tags are its own")
        .noneMatch(t -> t.key().equals("poolshift:managed"));
  }

  @Test
  void tagsAddedLaterAppearInListTagsAndInTheNextEvent() {
    f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v1")
        .tags(t -> t.key("app").value("churn")));
    String arn = f.world.requireEndpoint("churn-prod").arn();

    f.client.addTags(b -> b.resourceArn(arn).tags(t -> t.key("deployment-id").value("dep-42")));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    assertThat(f.client.listTags(b -> b.resourceArn(arn)).tags()).extracting(t -> t.key() + "=" + t.value())
        .containsExactly("app=churn", "deployment-id=dep-42");
    assertThat(f.endpointEvents("churn-prod").getFirst().detail().path("Tags").size()).isEqualTo(1);
    assertThat(f.endpointEvents("churn-prod").getLast().detail().path("Tags").path("deployment-id").asText())
        .isEqualTo("dep-42");
    f.client.deleteTags(b -> b.resourceArn(arn).tagKeys("app"));
    assertThat(f.client.listTags(b -> b.resourceArn(arn)).tags()).hasSize(1);
    assertValidation(() -> f.client.addTags(b -> b.resourceArn(arn.replace("churn-prod", "ghost"))
        .tags(t -> t.key("k").value("v"))), "Resource arn:aws:sagemaker:us-east-1:111122223333:endpoint/ghost");
  }
}
