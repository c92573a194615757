package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

class SageMakerEndpointConfigTest {
  private final SageMakerFixture f = new SageMakerFixture();

  @BeforeEach
  void models() {
    String pkg = f.approvedPackage();
    for (String model : new String[] {"churn-v42-g6e", "churn-v42-g6", "churn-v42-g5-int4", "churn-v41"}) {
      f.world.seedModelFromPackage(model, pkg, null);
    }
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void describeReturnsEveryMemberSentIncludingInstancePoolsAndNewFields() {
    ObjectNode request = SageMakerFixture.resource("endpoint-config-every-member.json");

    JsonNode created = f.ok("CreateEndpointConfig", request);
    JsonNode described = f.ok("DescribeEndpointConfig",
        LocalJson.object().put("EndpointConfigName", "churn-prod-cfg-v42-20260601t120000"));

    assertThat(created.path("EndpointConfigArn").asText()).isEqualTo(
        "arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/churn-prod-cfg-v42-20260601t120000");
    ObjectNode expected = request.deepCopy();
    expected.remove("Tags");
    expected.put("EndpointConfigArn", created.path("EndpointConfigArn").asText());
    assertThat(described.path("CreationTime").decimalValue()).isEqualByComparingTo("1780315200");
    ObjectNode withoutTime = described.deepCopy();
    withoutTime.remove("CreationTime");
    // Compared as text: the shared mapper writes 1.0 as 1, which parses back as an integer node.
    assertThat(LocalJson.write(withoutTime)).isEqualTo(LocalJson.write(expected));
    assertThat(f.ok("ListTags", LocalJson.object().put("ResourceArn", created.path("EndpointConfigArn").asText()))
        .path("Tags")).isEqualTo(request.path("Tags"));
  }

  @Test
  void theSdkSeesTheMembersItKnowsAndSilentlyDropsInstancePools() {
    f.ok("CreateEndpointConfig", SageMakerFixture.resource("endpoint-config-every-member.json"));

    DescribeEndpointConfigResponse d = f.client.describeEndpointConfig(
        b -> b.endpointConfigName("churn-prod-cfg-v42-20260601t120000"));

    ProductionVariant primary = d.productionVariants().getFirst();
    assertThat(primary.variantName()).isEqualTo("primary");
    assertThat(primary.instanceTypeAsString()).isNull();
    assertThat(primary.routingConfig().routingStrategyAsString()).isEqualTo("LEAST_OUTSTANDING_REQUESTS");
    assertThat(primary.inferenceAmiVersionAsString()).isEqualTo("al2023-ami-sagemaker-inference-gpu-4-1");
    assertThat(d.productionVariants().get(1).initialVariantWeight()).isEqualTo(0.25f);
    assertThat(d.dataCaptureConfig().initialSamplingPercentage()).isEqualTo(20);
    assertThat(d.asyncInferenceConfig().outputConfig().s3FailurePath()).endsWith("/async/failed/");
    assertThat(d.kmsKeyId()).as("its pools have local NVMe storage").isNull();
    assertThat(d.creationTime()).isEqualTo(SageMakerFixture.T0);
  }

  @Test
  void aKmsKeyIsKeptOnInstanceTypesWithoutLocalStorage() {
    ObjectNode request = SageMakerFixture.singleTypeConfig("cfg-kms", "churn-v41", "ml.c7i.2xlarge", 1);
    request.put("KmsKeyId", "alias/endpoint-volumes");

    f.ok("CreateEndpointConfig", request);

    assertThat(f.ok("DescribeEndpointConfig", LocalJson.object().put("EndpointConfigName", "cfg-kms"))
        .path("KmsKeyId").asText()).isEqualTo("alias/endpoint-volumes");
  }

  @Test
  void aKmsKeyWithAPoolTypeThatHasLocalNvmeStorageIsRefused() {
    ObjectNode request = SageMakerFixture.singleTypeConfig("cfg-kms", "churn-v41", "ml.c7i.2xlarge", 1);
    ObjectNode variant = (ObjectNode) request.path("ProductionVariants").get(0);
    variant.remove("InstanceType");
    variant.putArray("InstancePools").add(LocalJson.object().put("InstanceType", "ml.c7i.2xlarge").put("Priority", 1))
        .add(LocalJson.object().put("InstanceType", "ml.g5.2xlarge").put("Priority", 2));
    request.put("KmsKeyId", "alias/endpoint-volumes");

    SageMakerFixture.Raw refused = f.call("CreateEndpointConfig", request);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("ValidationException");
    assertThat(refused.message()).contains("KmsKeyId is not supported with instance type ml.g5.2xlarge");
  }

  @Test
  void aVolumeSizeWithATypeThatHasLocalStorageIsRefused() {
    ObjectNode request = SageMakerFixture.singleTypeConfig("cfg-vol", "churn-v41", "ml.g5.2xlarge", 1);
    ((ObjectNode) request.path("ProductionVariants").get(0)).put("VolumeSizeInGB", 100);

    SageMakerFixture.Raw refused = f.call("CreateEndpointConfig", request);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.message()).contains("VolumeSizeInGB").contains("ml.g5.2xlarge");
  }

  @Test
  void anInstanceTypeShapedLikeOneButNotOnSageMakersListIsRefused() {
    SageMakerFixture.Raw refused = f.call("CreateEndpointConfig",
        SageMakerFixture.singleTypeConfig("cfg-x", "churn-v41", "ml.g99.2xlarge", 1));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.message()).contains("ml.g99.2xlarge").contains("Member must satisfy enum value set")
        .contains("ml.g5.2xlarge");
  }

  @Test
  void aConfigCreatedSinceDetailedObservabilityHasItOnUnlessItSaysOtherwise() {
    f.sim.advance(java.time.Duration.ofDays(30));
    f.ok("CreateEndpointConfig", SageMakerFixture.singleTypeConfig("cfg-new", "churn-v41", "ml.c7i.2xlarge", 1));
    ObjectNode off = SageMakerFixture.singleTypeConfig("cfg-off", "churn-v41", "ml.c7i.2xlarge", 1);
    off.putObject("MetricsConfig").put("EnableDetailedObservability", false);
    f.ok("CreateEndpointConfig", off);

    assertThat(f.ok("DescribeEndpointConfig", LocalJson.object().put("EndpointConfigName", "cfg-new"))
        .path("MetricsConfig").path("EnableDetailedObservability").asBoolean()).isTrue();
    assertThat(f.ok("DescribeEndpointConfig", LocalJson.object().put("EndpointConfigName", "cfg-off"))
        .path("MetricsConfig").path("EnableDetailedObservability").asBoolean()).isFalse();
  }

  @Test
  void aConfigCreatedBeforeDetailedObservabilityDoesNotShowIt() {
    f.ok("CreateEndpointConfig", SageMakerFixture.singleTypeConfig("cfg-old", "churn-v41", "ml.c7i.2xlarge", 1));

    assertThat(f.ok("DescribeEndpointConfig", LocalJson.object().put("EndpointConfigName", "cfg-old"))
        .has("MetricsConfig")).isFalse();
  }

  @Test
  void aSecondConfigWithTheSameNameIsRejected() {
    f.ok("CreateEndpointConfig", SageMakerFixture.singleTypeConfig("cfg-a", "churn-v41", "ml.c7i.2xlarge", 1));

    SageMakerFixture.Raw again = f.call("CreateEndpointConfig",
        SageMakerFixture.singleTypeConfig("CFG-A", "churn-v41", "ml.c7i.2xlarge", 1));

    assertThat(again.status()).isEqualTo(400);
    assertThat(again.errorCode()).isEqualTo("ValidationException");
    assertThat(again.message()).isEqualTo("Cannot create already existing endpoint configuration "
        + "\"arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/cfg-a\".");
  }

  @Test
  void aConfigInUseCanBeDeletedAndThenCannotBeFound() {
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-a", "churn-v41", "ml.c7i.2xlarge", 1));
    f.world.seedEndpoint("churn-prod", "cfg-a");

    f.client.deleteEndpointConfig(b -> b.endpointConfigName("cfg-a"));

    assertThatThrownBy(() -> f.client.describeEndpointConfig(b -> b.endpointConfigName("cfg-a")))
        .isInstanceOfSatisfying(SageMakerException.class, e -> assertThat(e.awsErrorDetails().errorCode())
            .isEqualTo("ValidationException"))
        .hasMessageContaining("Could not find endpoint configuration \"arn:aws:sagemaker:us-east-1:111122223333:"
            + "endpoint-config/cfg-a\"");
    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("InService");
  }

  @Test
  void listsNewestFirstAndFiltersByName() {
    for (String name : new String[] {"churn-a", "fraud-b", "churn-c"}) {
      f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig(name, "churn-v41", "ml.c7i.2xlarge", 1));
    }

    var names = f.client.listEndpointConfigs(b -> b.nameContains("CHURN")).endpointConfigs().stream()
        .map(c -> c.endpointConfigName()).toList();

    assertThat(names).containsExactly("churn-c", "churn-a");
  }

  static Stream<Arguments> invalidConfigs() {
    return Stream.of(
        bad("InstanceType together with InstancePools", v -> v.put("InstanceType", "ml.g6e.2xlarge"),
            "either InstanceType or InstancePools"),
        bad("six pools", v -> {
          ArrayNode pools = (ArrayNode) v.get("InstancePools");
          pools.removeAll();
          for (int i = 1; i <= 6; i++) {
            pools.addObject().put("InstanceType", "ml.g" + i + ".2xlarge").put("Priority", Math.min(i, 5));
          }
        }, "productionVariants.1.member.instancePools' failed to satisfy constraint: Member must have length between 2 and 5"),
        bad("a single pool", v -> ((ArrayNode) v.get("InstancePools")).remove(1),
            "Member must have length between 2 and 5"),
        bad("duplicate priority", v -> ((ObjectNode) v.get("InstancePools").get(1)).put("Priority", 1),
            "Priority 1 is used by more than one instance pool (productionVariants.1.member.instancePools.2.member.priority)"),
        bad("priority 6", v -> ((ObjectNode) v.get("InstancePools").get(1)).put("Priority", 6),
            "Value '6' at 'productionVariants.1.member.instancePools.2.member.priority' failed to satisfy constraint: "
                + "Member must have value less than or equal to 5"),
        bad("priority 0", v -> ((ObjectNode) v.get("InstancePools").get(0)).put("Priority", 0),
            "instancePools.1.member.priority' failed to satisfy constraint: Member must have value greater than or equal to 1"),
        bad("same type twice", v -> ((ObjectNode) v.get("InstancePools").get(1)).put("InstanceType", "ml.g6e.2xlarge"),
            "Instance type ml.g6e.2xlarge appears in more than one instance pool"),
        bad("timeout 299", v -> v.put("VariantInstanceProvisionTimeoutInSeconds", 299),
            "variantInstanceProvisionTimeoutInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 300"),
        bad("timeout 3601", v -> v.put("VariantInstanceProvisionTimeoutInSeconds", 3601),
            "Member must have value less than or equal to 3600"),
        bad("unknown override model", v -> ((ObjectNode) v.get("InstancePools").get(1)).put("ModelNameOverride", "ghost"),
            "Could not find model \"arn:aws:sagemaker:us-east-1:111122223333:model/ghost\""),
        bad("unknown model", v -> v.put("ModelName", "ghost"), "Could not find model"),
        bad("neither type nor pools", v -> v.remove("InstancePools"), "needs an InstanceType or InstancePools"),
        bad("bad variant name", v -> v.put("VariantName", "-primary"),
            "at 'productionVariants.1.member.variantName' failed to satisfy constraint: Member must satisfy regular expression pattern"),
        bad("no instance count", v -> v.remove("InitialInstanceCount"),
            "Value null at 'productionVariants.1.member.initialInstanceCount' failed to satisfy constraint: Member must not be null"),
        bad("instance count as text", v -> v.put("InitialInstanceCount", "two"),
            "productionVariants.1.member.initialInstanceCount"));
  }

  private static Arguments bad(String name, Consumer<ObjectNode> mutate, String message) {
    return Arguments.of(name, mutate, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidConfigs")
  void invalidConfigsAreRejectedWithAnErrorNamingTheMember(String name, Consumer<ObjectNode> mutate, String message) {
    ObjectNode config = SageMakerFixture.pooledConfig("cfg-bad", "churn-v42-g6e", 2, 1200,
        "ml.g6e.2xlarge", null, "ml.g6.2xlarge", "churn-v42-g6");
    mutate.accept((ObjectNode) config.get("ProductionVariants").get(0));

    SageMakerFixture.Raw r = f.call("CreateEndpointConfig", config);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isIn("ValidationException", "SerializationException");
    assertThat(r.message()).contains(message);
    assertThat(f.call("DescribeEndpointConfig", LocalJson.object().put("EndpointConfigName", "cfg-bad")).status())
        .isEqualTo(400);
  }

  @Test
  void duplicateVariantNamesAndABadConfigNameAreRejected() {
    ObjectNode twoPrimaries = SageMakerFixture.singleTypeConfig("cfg-x", "churn-v41", "ml.c7i.2xlarge", 1);
    ((ArrayNode) twoPrimaries.get("ProductionVariants")).add(twoPrimaries.get("ProductionVariants").get(0).deepCopy());
    ObjectNode badName = SageMakerFixture.singleTypeConfig("cfg_x", "churn-v41", "ml.c7i.2xlarge", 1);

    assertThat(f.call("CreateEndpointConfig", twoPrimaries).message())
        .contains("Variant name primary is used by more than one variant");
    assertThat(f.call("CreateEndpointConfig", badName).message())
        .isEqualTo("1 validation error detected: Value 'cfg_x' at 'endpointConfigName' failed to satisfy constraint: "
            + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  }
}
