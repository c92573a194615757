package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.autoscaling.ApplicationAutoScalingService;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * UpdateEndpoint and Application Auto Scaling, wired as {@code LocalRuntime} wires them: an update
 * that changes the instance type of a registered variant (one type to pools included) fails
 * until the variant is deregistered; a model-only change is allowed.
 */
class SageMakerAutoscaledVariantTest {
  private static final String G5 = "ml.g5.2xlarge";
  private static final String G6 = "ml.g6.2xlarge";
  private static final String G6E = "ml.g6e.2xlarge";

  private final SageMakerFixture f = new SageMakerFixture();
  private final ApplicationAutoScalingService autoScaling =
      new ApplicationAutoScalingService(f.sim, AwsContext.DEFAULT, f.world::hasVariant);

  @BeforeEach
  void anAutoscaledEndpointOnOneType() {
    f.world.setScalableVariants(autoScaling::isVariantRegistered);
    String v1 = f.approvedPackage();
    f.world.seedModelFromPackage("churn-v1", v1, null);
    f.world.seedModelFromPackage("churn-v1b", v1, null);
    f.ok("CreateEndpointConfig", SageMakerFixture.singleTypeConfig("cfg-single", "churn-v1", G5, 2));
    f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-single"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    autoScaling.registerVariant("churn-prod", "primary", 2, 6);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void movingARegisteredVariantOntoPoolsIsRefusedAndChangesNothing() {
    f.ok("CreateEndpointConfig", SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 2, 1200, G6E, null, G6, null));

    SageMakerFixture.Raw r = update("cfg-pools");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("ValidationException");
    assertThat(r.message()).contains("primary").contains("Application Auto Scaling")
        .contains("InstanceType " + G5).contains("InstancePools [" + G6 + ", " + G6E + "]");
    assertThat(f.describeEndpoint("churn-prod").path("EndpointStatus").asText()).isEqualTo("InService");
    assertThat(f.describeEndpoint("churn-prod").path("EndpointConfigName").asText()).isEqualTo("cfg-single");
  }

  @Test
  void theSameUpdateIsAcceptedOnceTheVariantIsDeregistered() {
    f.ok("CreateEndpointConfig", SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 2, 1200, G6E, null, G6, null));
    autoScaling.invoke("DeregisterScalableTarget", target());

    assertThat(update("cfg-pools").status()).isEqualTo(200);
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    assertThat(f.describeEndpoint("churn-prod").path("EndpointConfigName").asText()).isEqualTo("cfg-pools");
  }

  @Test
  void changingOnlyTheModelOfARegisteredVariantIsAllowed() {
    f.ok("CreateEndpointConfig", SageMakerFixture.singleTypeConfig("cfg-new-model", "churn-v1b", G5, 2));

    assertThat(update("cfg-new-model").status()).isEqualTo(200);
  }

  @Test
  void aRegisteredVariantCannotBeRemovedByAnUpdate() {
    ObjectNode renamed = SageMakerFixture.singleTypeConfig("cfg-renamed", "churn-v1", G5, 2);
    ((ObjectNode) renamed.get("ProductionVariants").get(0)).put("VariantName", "other");
    f.ok("CreateEndpointConfig", renamed);

    SageMakerFixture.Raw r = update("cfg-renamed");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("cannot be removed");
  }

  @Test
  void anUnregisteredVariantMovesOntoPoolsFreely() {
    autoScaling.invoke("DeregisterScalableTarget", target());
    f.ok("CreateEndpointConfig", SageMakerFixture.pooledConfig("cfg-pools", "churn-v1", 2, 1200, G6E, null, G6, null));
    assertThat(update("cfg-pools").status()).isEqualTo(200);
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    autoScaling.registerVariant("churn-prod", "primary", 2, 6);
    f.ok("CreateEndpointConfig", SageMakerFixture.pooledConfig("cfg-other-pools", "churn-v1", 2, 1200, G6, null, G5, null));

    assertThat(update("cfg-other-pools").message()).as("a different pool type list is a type change")
        .contains("InstancePools [" + G6 + ", " + G6E + "]").contains("InstancePools [" + G5 + ", " + G6 + "]");
  }

  private SageMakerFixture.Raw update(String config) {
    return f.call("UpdateEndpoint", LocalJson.object().put("EndpointName", "churn-prod").put("EndpointConfigName", config));
  }

  private static ObjectNode target() {
    return LocalJson.object().put("ServiceNamespace", "sagemaker").put("ResourceId", "endpoint/churn-prod/variant/primary")
        .put("ScalableDimension", "sagemaker:variant:DesiredInstanceCount");
  }
}
