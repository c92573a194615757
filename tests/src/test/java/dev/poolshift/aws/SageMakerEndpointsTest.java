package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.ResourceConflictException;
import dev.poolshift.rollout.ResourceLimitExceededException;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.endpoint.VariantSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SageMakerEndpointsTest {
  /** DescribeEndpointConfig as SageMaker answers it, with fields SDK 2.40.2 does not know. */
  static final String DESCRIBED_CONFIG = """
      {
        "EndpointConfigName": "fraud-scoring-prod-cfg-41",
        "EndpointConfigArn": "arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/fraud-scoring-prod-cfg-41",
        "ProductionVariants": [{
          "VariantName": "AllTraffic",
          "ModelName": "fraud-scoring-v41",
          "InitialInstanceCount": 2,
          "InstanceType": "ml.g5.2xlarge",
          "InitialVariantWeight": 1.0,
          "ContainerStartupHealthCheckTimeoutInSeconds": 900,
          "ModelDataDownloadTimeoutInSeconds": 1200,
          "VolumeSizeInGB": 64,
          "RoutingConfig": {"RoutingStrategy": "RANDOM", "PrefixAwareRoutingConfig": {"PrefixLength": 32}},
          "InferenceAmiVersion": "al2023-ami-sagemaker-inference-gpu-4-1"
        }],
        "DataCaptureConfig": {
          "EnableCapture": true,
          "InitialSamplingPercentage": 20,
          "DestinationS3Uri": "s3://capture-111122223333/fraud",
          "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]
        },
        "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "MetricsConfig": {"EnableEnhancedMetrics": true, "MetricPublishFrequencyInSeconds": 10, "EnableDetailedObservability": true},
        "CreationTime": 1778639921.471
      }
      """;

  static final String TAGS = """
      {"Tags": [{"Key": "team", "Value": "risk"}, {"Key": "cost-center", "Value": "ml-42"}]}
      """;

  private final StubHttp http = new StubHttp();
  private final SageMakerEndpoints endpoints =
      new SageMakerEndpoints(AwsClients.sageMaker(http.settings()));

  @Test
  void createConfigPutsInstancePoolsOnTheWireWithTheRightLengthAndSignature() throws Exception {
    http.then(Reply.ok("{\"EndpointConfigArn\":\"arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/c\"}"));
    VariantSpec baseline = new VariantSpec("AllTraffic", "fraud-scoring-v41", 2, "ml.g5.2xlarge",
        List.of(), null, 1.0, Map.of("VolumeSizeInGB", 64));
    VariantSpec canary = new VariantSpec("canary-v42", "fraud-scoring-v42-1a2b3c4d", 2, null,
        List.of(new InstancePool("ml.g5.2xlarge", 1, null),
            new InstancePool("ml.g5.4xlarge", 2, null),
            new InstancePool("ml.g6.2xlarge", 3, "fraud-scoring-v42-g6-int8-5e6f7a8b")),
        1200, 0.0, Map.of("RoutingConfig", Map.of("RoutingStrategy", "LEAST_OUTSTANDING_REQUESTS")));
    EndpointConfigSpec spec = new EndpointConfigSpec("fraud-scoring-prod-v42-canary-0a1b2c3d",
        List.of(baseline, canary), Map.of("poolshift:deployment", "dep-42"), Map.of());

    endpoints.createConfig(spec);

    StubHttp.Sent sent = http.only("CreateEndpointConfig");
    assertThat(sent.json()).isEqualTo(Json.parseObject("""
        {
          "EndpointConfigName": "fraud-scoring-prod-v42-canary-0a1b2c3d",
          "ProductionVariants": [
            {"VariantName": "AllTraffic", "ModelName": "fraud-scoring-v41", "InitialInstanceCount": 2,
             "InstanceType": "ml.g5.2xlarge", "InitialVariantWeight": 1.0, "VolumeSizeInGB": 64},
            {"VariantName": "canary-v42", "ModelName": "fraud-scoring-v42-1a2b3c4d", "InitialInstanceCount": 2,
             "InstancePools": [
               {"InstanceType": "ml.g5.2xlarge", "Priority": 1},
               {"InstanceType": "ml.g5.4xlarge", "Priority": 2},
               {"InstanceType": "ml.g6.2xlarge", "Priority": 3, "ModelNameOverride": "fraud-scoring-v42-g6-int8-5e6f7a8b"}],
             "VariantInstanceProvisionTimeoutInSeconds": 1200,
             "InitialVariantWeight": 0.0,
             "RoutingConfig": {"RoutingStrategy": "LEAST_OUTSTANDING_REQUESTS"}}
          ],
          "Tags": [{"Key": "poolshift:deployment", "Value": "dep-42"}]
        }
        """.getBytes(StandardCharsets.UTF_8)));
    assertThat(sent.header("Content-Length")).isEqualTo(Integer.toString(sent.body().length));
    assertThat(sent.header("X-Amz-Target")).isEqualTo("SageMaker.CreateEndpointConfig");
    assertThat(sent.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
    // Signing runs after the patch: the signed payload hash is that of the patched body.
    assertThat(sent.header("x-amz-content-sha256")).isEqualTo(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sent.body())));
    assertThat(sent.header("Authorization")).contains("/us-east-1/sagemaker/aws4_request");
  }

  @Test
  void describeEndpointReadsPerPoolInstanceCountsTheSdkDrops() {
    http.then(Reply.ok("""
        {
          "EndpointName": "fraud-scoring-prod",
          "EndpointArn": "arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scoring-prod",
          "EndpointStatus": "Updating",
          "EndpointConfigName": "fraud-scoring-prod-cfg-41",
          "ProductionVariants": [{
            "VariantName": "AllTraffic", "CurrentWeight": 0.9, "DesiredWeight": 0.9,
            "CurrentInstanceCount": 3, "DesiredInstanceCount": 3,
            "InstancePools": [
              {"InstanceType": "ml.g5.2xlarge", "CurrentInstanceCount": 2},
              {"InstanceType": "ml.g6.2xlarge", "CurrentInstanceCount": 1}],
            "RoutingConfig": {"RoutingStrategy": "LEAST_OUTSTANDING_REQUESTS"}
          }, {
            "VariantName": "canary-v42", "CurrentWeight": 0.1, "DesiredWeight": 0.1,
            "CurrentInstanceCount": 2, "DesiredInstanceCount": 2
          }],
          "PendingDeploymentSummary": {
            "EndpointConfigName": "fraud-scoring-prod-v42-final-9f8e7d6c",
            "StartTime": 1780316400.456,
            "ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": null,
              "InstancePools": [{"InstanceType": "ml.g6.2xlarge", "CurrentInstanceCount": 2}]}]
          },
          "CreationTime": 1780315200.123,
          "LastModifiedTime": 1780316400.456
        }
        """));

    EndpointState state = endpoints.describe("fraud-scoring-prod");

    assertThat(state.status()).isEqualTo("Updating");
    assertThat(state.endpointConfigName()).isEqualTo("fraud-scoring-prod-cfg-41");
    assertThat(state.variant("AllTraffic").instancePools()).containsExactly(
        new PoolCount("ml.g5.2xlarge", 2), new PoolCount("ml.g6.2xlarge", 1));
    assertThat(state.variant("AllTraffic").currentWeight()).isEqualTo(0.9);
    assertThat(state.variant("canary-v42").instancePools()).isEmpty();
    assertThat(state.pendingConfigName()).isEqualTo("fraud-scoring-prod-v42-final-9f8e7d6c");
    assertThat(state.pendingVariants().getFirst().instancePools())
        .containsExactly(new PoolCount("ml.g6.2xlarge", 2));
    assertThat(http.only("DescribeEndpoint").json()).isEqualTo(Map.of("EndpointName", "fraud-scoring-prod"));
  }

  @Test
  void endpointTagsAreListedOnTheEndpointArnDescribeEndpointReported() {
    String described = "{\"EndpointName\":\"fraud-scoring-prod\",\"EndpointArn\":"
        + "\"arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scoring-prod\","
        + "\"EndpointConfigName\":\"cfg\",\"EndpointStatus\":\"InService\"}";
    http.then(Reply.ok(described),
        Reply.ok("{\"Tags\": [{\"Key\": \"poolshift:managed\", \"Value\": \"true\"}]}"),
        Reply.ok("{\"Tags\": []}"));

    endpoints.describe("fraud-scoring-prod");
    Map<String, String> first = endpoints.endpointTags("fraud-scoring-prod");
    Map<String, String> second = endpoints.endpointTags("fraud-scoring-prod");

    assertThat(first).containsExactly(Map.entry("poolshift:managed", "true"));
    assertThat(second).isEmpty();
    assertThat(http.operations()).as("the ARN is not described again")
        .containsExactly("DescribeEndpoint", "ListTags", "ListTags");
    assertThat(http.only("DescribeEndpoint").json()).isEqualTo(Map.of("EndpointName", "fraud-scoring-prod"));
  }

  @Test
  void endpointTagsOfAnEndpointNeverDescribedDescribeItForItsArnAndNameAMissingOne() {
    http.then(Reply.ok("{\"EndpointName\":\"ranking-prod\",\"EndpointArn\":"
            + "\"arn:aws:sagemaker:us-east-1:111122223333:endpoint/ranking-prod\","
            + "\"EndpointConfigName\":\"cfg\",\"EndpointStatus\":\"InService\"}"),
        Reply.ok("{\"Tags\": [{\"Key\": \"team\", \"Value\": \"search\"}]}"),
        Reply.error(400, "ValidationException", "Could not find endpoint \"ghost\"."));

    assertThat(endpoints.endpointTags("ranking-prod")).containsExactly(Map.entry("team", "search"));
    assertThatThrownBy(() -> endpoints.endpointTags("ghost")).isInstanceOf(EndpointNotFoundException.class)
        .hasMessageContaining("DescribeEndpoint ghost");
  }

  @Test
  void aDescribedConfigGoesBackOnTheWireWithEveryFieldIncludingOnesTheSdkLacks() throws IOException {
    http.then(Reply.ok(DESCRIBED_CONFIG), Reply.ok(TAGS), Reply.ok("{}"));

    EndpointConfigSpec described = endpoints.describeConfig("fraud-scoring-prod-cfg-41");
    endpoints.createConfig(described);

    assertThat(http.operations()).containsExactly("DescribeEndpointConfig", "ListTags",
        "CreateEndpointConfig");
    assertThat(http.only("ListTags").json()).containsEntry("ResourceArn",
        "arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/fraud-scoring-prod-cfg-41");
    Map<String, Object> expected = new LinkedHashMap<>(
        Json.parseObject(DESCRIBED_CONFIG.getBytes(StandardCharsets.UTF_8)));
    expected.remove("EndpointConfigArn");
    expected.remove("CreationTime");
    expected.put("Tags", List.of(Map.of("Key", "team", "Value", "risk"),
        Map.of("Key", "cost-center", "Value", "ml-42")));
    assertThat(http.only("CreateEndpointConfig").json()).isEqualTo(expected);
  }

  @Test
  void describeConfigReadsInstancePoolsAndTheProvisionTimeout() {
    http.then(Reply.ok("""
        {"EndpointConfigName": "c", "EndpointConfigArn": "arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/c",
         "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": "m", "InitialInstanceCount": 1,
           "InstancePools": [{"InstanceType": "ml.g6.2xlarge", "Priority": 2, "ModelNameOverride": "m-g6"},
                             {"InstanceType": "ml.g5.2xlarge", "Priority": 1}],
           "VariantInstanceProvisionTimeoutInSeconds": 900}],
         "CreationTime": 1}
        """), Reply.ok("{\"Tags\": []}"));

    VariantSpec v = endpoints.describeConfig("c").variant("AllTraffic");

    assertThat(v.instanceType()).isNull();
    assertThat(v.instancePools()).containsExactly(new InstancePool("ml.g6.2xlarge", 2, "m-g6"),
        new InstancePool("ml.g5.2xlarge", 1, null));
    assertThat(v.provisionTimeoutSeconds()).isEqualTo(900);
    assertThat(v.preferredInstanceType()).isEqualTo("ml.g5.2xlarge");
  }

  @Test
  void describeConfigFollowsTagPages() {
    http.then(Reply.ok(DESCRIBED_CONFIG),
        Reply.ok("{\"Tags\": [{\"Key\": \"a\", \"Value\": \"1\"}], \"NextToken\": \"t2\"}"),
        Reply.ok("{\"Tags\": [{\"Key\": \"b\", \"Value\": \"2\"}]}"));

    EndpointConfigSpec spec = endpoints.describeConfig("fraud-scoring-prod-cfg-41");

    assertThat(spec.tags()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(http.sent().get(2).json()).containsEntry("NextToken", "t2");
  }

  @Test
  void aRetriedCreateFindingItsOwnConfigSucceeds() {
    http.then(
        Reply.error(400, "ValidationException", "Cannot create already existing endpoint configuration \"arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/c\"."),
        Reply.ok(DESCRIBED_CONFIG.replace("fraud-scoring-prod-cfg-41", "c")),
        Reply.ok("{\"Tags\": [{\"Key\": \"poolshift:deployment\", \"Value\": \"dep-42\"}]}"));
    EndpointConfigSpec wanted = withNameAndTag(described(), "c", "dep-42");

    endpoints.createConfig(wanted);

    assertThat(http.operations()).containsExactly("CreateEndpointConfig",
        "DescribeEndpointConfig", "ListTags");
  }

  @Test
  void anExistingConfigOfAnotherDeploymentIsAConflict() {
    http.then(
        Reply.error(400, "ValidationException", "Cannot create already existing endpoint configuration \"c\"."),
        Reply.ok(DESCRIBED_CONFIG.replace("fraud-scoring-prod-cfg-41", "c")),
        Reply.ok("{\"Tags\": [{\"Key\": \"poolshift:deployment\", \"Value\": \"dep-41\"}]}"));
    EndpointConfigSpec wanted = withNameAndTag(described(), "c", "dep-42");

    assertThatThrownBy(() -> endpoints.createConfig(wanted))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("poolshift:deployment=dep-41");
  }

  @Test
  void updateRetainsLivePropertiesExceptTheExcludedOnesAndPassesRollbackAlarms() {
    http.then(Reply.ok(endpointJson("InService", "old-config", null)), Reply.ok("{\"EndpointArn\": \"x\"}"));

    endpoints.update(new EndpointUpdate("fraud-scoring-prod", "new-config", true,
        List.of(EndpointUpdate.DESIRED_WEIGHT), List.of("fraud-scoring-prod-5xx")));

    assertThat(http.only("UpdateEndpoint").json()).isEqualTo(Map.of(
        "EndpointName", "fraud-scoring-prod",
        "EndpointConfigName", "new-config",
        "RetainAllVariantProperties", true,
        "ExcludeRetainedVariantProperties", List.of(Map.of("VariantPropertyType", "DesiredWeight")),
        "DeploymentConfig", Map.of("AutoRollbackConfiguration",
            Map.of("Alarms", List.of(Map.of("AlarmName", "fraud-scoring-prod-5xx"))))));
  }

  @Test
  void aRetriedUpdateDoesNotStartAnotherDeploymentOfTheSameConfig() {
    http.then(Reply.ok(endpointJson("Updating", "old-config", "new-config")));

    endpoints.update(new EndpointUpdate("fraud-scoring-prod", "new-config", true, List.of(), List.of()));

    assertThat(http.operations()).containsExactly("DescribeEndpoint");
  }

  @Test
  void anUpdateOfABusyEndpointIsEndpointBusy() {
    http.then(Reply.ok(endpointJson("InService", "old-config", null)),
        Reply.error(400, "ValidationException",
            "Cannot update in-progress endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scoring-prod\"."));

    assertThatThrownBy(() -> endpoints.update(new EndpointUpdate("fraud-scoring-prod", "new-config",
        true, List.of(), List.of())))
        .isInstanceOf(EndpointBusyException.class)
        .hasMessageContaining("Cannot update in-progress endpoint");
  }

  @Test
  void anUpdateToAMissingConfigIsConfigNotFoundNotEndpointNotFound() {
    http.then(Reply.ok(endpointJson("InService", "old-config", null)),
        Reply.error(400, "ValidationException", "Could not find endpoint configuration \"new-config\"."));

    assertThatThrownBy(() -> endpoints.update(new EndpointUpdate("fraud-scoring-prod", "new-config",
        true, List.of(), List.of())))
        .isInstanceOf(EndpointConfigNotFoundException.class);
  }

  @Test
  void aMissingEndpointIsEndpointNotFound() {
    http.then(Reply.error(400, "ValidationException",
        "Could not find endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/nope\"."));

    assertThatThrownBy(() -> endpoints.describe("nope"))
        .isInstanceOf(EndpointNotFoundException.class)
        .hasMessageContaining("DescribeEndpoint nope: ValidationException: Could not find endpoint");
  }

  @Test
  void aQuotaErrorIsResourceLimitExceeded() {
    http.then(Reply.error(400, "ResourceLimitExceeded",
        "The account-level service limit 'ml.g5.4xlarge for endpoint usage' is 0 Instances"));

    assertThatThrownBy(() -> endpoints.createConfig(described()))
        .isInstanceOf(ResourceLimitExceededException.class)
        .hasMessageContaining("ml.g5.4xlarge for endpoint usage");
  }

  @Test
  void aServerErrorThatOutlastsTheSdkRetriesIsTransientButNotThrottling() {
    http.route(s -> Reply.error(503, "ServiceUnavailable", "try later"));

    assertThatThrownBy(() -> endpoints.describe("fraud-scoring-prod"))
        .isInstanceOf(TransientServiceException.class)
        .isNotInstanceOf(dev.poolshift.rollout.ServiceThrottledException.class);
  }

  @Test
  void throttlingThatOutlastsTheSdkRetriesIsTransientAndSaysItWasThrottled() {
    http.route(s -> Reply.error(400, "ThrottlingException", "Rate exceeded"));

    assertThatThrownBy(() -> endpoints.describe("fraud-scoring-prod"))
        .isInstanceOf(dev.poolshift.rollout.ServiceThrottledException.class)
        .isInstanceOf(TransientServiceException.class)
        .hasMessageContaining("ThrottlingException: Rate exceeded");
    // The SDK's standard policy tried four times before giving up.
    assertThat(http.sent()).hasSize(4);
    assertThat(http.sent().getLast().header("amz-sdk-request")).isEqualTo("attempt=4; max=4");
  }

  @Test
  void aServerErrorIsTransient() {
    http.route(s -> Reply.error(500, "InternalFailure", "We encountered an internal error."));

    assertThatThrownBy(() -> endpoints.describe("fraud-scoring-prod"))
        .isInstanceOf(TransientServiceException.class);
  }

  @Test
  void aLostConnectionIsTransient() {
    http.route(s -> Reply.connectionReset());

    assertThatThrownBy(() -> endpoints.describe("fraud-scoring-prod"))
        .isInstanceOf(TransientServiceException.class)
        .hasMessageContaining("Connection reset");
  }

  @Test
  void anUnrecognisedErrorIsTerminalAndKeepsTheServiceText() {
    http.then(Reply.error(400, "AccessDeniedException",
        "User is not authorized to perform: sagemaker:DescribeEndpoint"));

    assertThatThrownBy(() -> endpoints.describe("fraud-scoring-prod"))
        .isInstanceOf(ServiceCallException.class)
        .hasMessageContaining("AccessDeniedException: User is not authorized");
  }

  @Test
  void deletingAConfigThatIsAlreadyGoneCountsAsDeletedWithoutADelete() {
    // IAM refuses the tag-conditioned delete of a config that does not exist: it is not attempted.
    http.then(Reply.error(400, "ValidationException", "Could not find endpoint configuration \"c\"."));

    assertThat(endpoints.deleteConfig("c")).isFalse();
    assertThat(http.operations()).containsExactly("DescribeEndpointConfig");
  }

  @Test
  void anExistingConfigIsReadThenDeleted() {
    http.then(Reply.ok(DESCRIBED_CONFIG), Reply.ok("{}"));

    assertThat(endpoints.deleteConfig("d")).isTrue();
    assertThat(http.operations()).containsExactly("DescribeEndpointConfig", "DeleteEndpointConfig");
    assertThat(http.only("DeleteEndpointConfig").json()).isEqualTo(Map.of("EndpointConfigName", "d"));
  }

  @Test
  void aConfigKnownToExistIsDeletedWithOneCall() {
    http.then(Reply.ok("{}"));

    assertThat(endpoints.deleteExistingConfig("d")).isTrue();
    assertThat(http.operations()).containsExactly("DeleteEndpointConfig");
  }

  @Test
  void aConfigKnownToExistButGoneAfterAllIsRefusedByIamThenFoundGone() {
    // An earlier attempt deleted it: IAM sees no tag on a config that does not exist.
    http.then(Reply.error(400, "AccessDeniedException",
            "User is not authorized to perform: sagemaker:DeleteEndpointConfig"),
        Reply.error(400, "ValidationException", "Could not find endpoint configuration \"d\"."));

    assertThat(endpoints.deleteExistingConfig("d")).isFalse();
    assertThat(http.operations()).containsExactly("DeleteEndpointConfig", "DescribeEndpointConfig");
  }

  @Test
  void aConfigThatExistsButIamRefusesToDeleteIsAnError() {
    http.then(Reply.error(400, "AccessDeniedException",
            "User is not authorized to perform: sagemaker:DeleteEndpointConfig"),
        Reply.ok(DESCRIBED_CONFIG));

    assertThatThrownBy(() -> endpoints.deleteExistingConfig("d"))
        .isInstanceOf(ServiceCallException.class)
        .hasMessageContaining("AccessDeniedException");
  }

  @Test
  void aConfigDeletedBetweenTheReadAndTheDeleteCountsAsDeleted() {
    http.then(Reply.ok(DESCRIBED_CONFIG),
        Reply.error(400, "ValidationException", "Could not find endpoint configuration \"d\"."));

    assertThat(endpoints.deleteConfig("d")).isFalse();
  }

  private static EndpointConfigSpec described() {
    try {
      return SageMakerJson.config(Json.parseObject(DESCRIBED_CONFIG.getBytes(StandardCharsets.UTF_8)),
          Map.of());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static EndpointConfigSpec withNameAndTag(EndpointConfigSpec spec, String name, String deployment) {
    return new EndpointConfigSpec(name, spec.productionVariants(),
        Map.of("poolshift:deployment", deployment), spec.carried());
  }

  static String endpointJson(String status, String config, String pendingConfig) {
    String pending = pendingConfig == null ? ""
        : ", \"PendingDeploymentSummary\": {\"EndpointConfigName\": \"" + pendingConfig + "\"}";
    return """
        {"EndpointName": "fraud-scoring-prod", "EndpointArn": "arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scoring-prod",
         "EndpointStatus": "%s", "EndpointConfigName": "%s",
         "ProductionVariants": [{"VariantName": "AllTraffic", "CurrentWeight": 1.0, "DesiredWeight": 1.0,
           "CurrentInstanceCount": 2, "DesiredInstanceCount": 2}]%s,
         "CreationTime": 1780315200.123, "LastModifiedTime": 1780316400.456}
        """.formatted(status, config, pending);
  }
}
