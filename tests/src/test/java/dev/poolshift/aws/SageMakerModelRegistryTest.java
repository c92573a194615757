package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.ResourceConflictException;
import dev.poolshift.rollout.ResourceLimitExceededException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SageMakerModelRegistryTest {
  private static final String ARN = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42";
  private static final String ROLE = "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution";

  private final StubHttp http = new StubHttp();
  private final SageMakerModelRegistry registry =
      new SageMakerModelRegistry(AwsClients.sageMaker(http.settings()));

  @Test
  void describesAPackageWithItsPerHardwareBuilds() {
    http.then(Reply.ok("""
        {"ModelPackageName": "fraud-scoring", "ModelPackageGroupName": "Fraud-Scoring",
         "ModelPackageVersion": 42, "ModelPackageArn": "%s",
         "ModelPackageStatus": "Completed", "ModelApprovalStatus": "Approved",
         "ModelPackageStatusDetails": {"ValidationStatuses": []},
         "InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud:3"}]},
         "AdditionalInferenceSpecifications": [
           {"Name": "g6-int8", "Containers": [{"Image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud:3-int8"}]}],
         "CustomerMetadataProperties": {"owner": "risk"},
         "CreationTime": 1780315200.1}
        """.formatted(ARN)));

    ModelPackage pkg = registry.describePackage(ModelPackageArn.parse(ARN));

    assertThat(pkg).isEqualTo(new ModelPackage(ARN, "Fraud-Scoring", 42, "Completed", "Approved",
        List.of("g6-int8"), Map.of("owner", "risk")));
    assertThat(http.only("DescribeModelPackage").json()).isEqualTo(Map.of("ModelPackageName", ARN));
  }

  @Test
  void aMissingPackageIsModelPackageNotFound() {
    http.then(Reply.error(400, "ValidationException", "ModelPackage " + ARN + " does not exist."));

    assertThatThrownBy(() -> registry.describePackage(ModelPackageArn.parse(ARN)))
        .isInstanceOf(ModelPackageNotFoundException.class);
  }

  @Test
  void createsAPerPoolModelFromThePackageAndItsInferenceSpecification() {
    http.then(Reply.ok("{\"ModelArn\": \"arn:aws:sagemaker:us-east-1:111122223333:model/m\"}"));

    registry.createModel(new ModelToCreate("fraud-scoring-v42-g6-int8-5e6f7a8b", ARN, "g6-int8", ROLE,
        Map.of("poolshift:deployment", "dep-42"), ModelSettings.none("base")));

    assertThat(http.only("CreateModel").json()).isEqualTo(Map.of(
        "ModelName", "fraud-scoring-v42-g6-int8-5e6f7a8b",
        "PrimaryContainer", Map.of("ModelPackageName", ARN, "InferenceSpecificationName", "g6-int8"),
        "ExecutionRoleArn", ROLE,
        "Tags", List.of(Map.of("Key", "poolshift:deployment", "Value", "dep-42"))));
  }

  @Test
  void readsTheSettingsOfAModelThatAreNotItsPackages() {
    http.then(Reply.ok("""
        {"ModelName": "base", "ModelArn": "arn:aws:sagemaker:us-east-1:111122223333:model/base",
         "PrimaryContainer": {"ModelPackageName": "%s", "Environment": {"LOG_LEVEL": "debug"},
                              "ContainerHostname": "scorer"},
         "ExecutionRoleArn": "%s", "EnableNetworkIsolation": true,
         "VpcConfig": {"SecurityGroupIds": ["sg-0a1b"], "Subnets": ["subnet-1", "subnet-2"]},
         "CreationTime": 1780315200.1}
        """.formatted(ARN, ROLE)));

    ModelSettings settings = registry.modelSettings("base").orElseThrow();

    assertThat(settings.model()).isEqualTo(Map.of("EnableNetworkIsolation", true,
        "VpcConfig", Map.of("SecurityGroupIds", List.of("sg-0a1b"),
            "Subnets", List.of("subnet-1", "subnet-2"))));
    assertThat(settings.container()).isEqualTo(Map.of("Environment", Map.of("LOG_LEVEL", "debug"),
        "ContainerHostname", "scorer"));
  }

  @Test
  void aContainerSettingNewerThanTheSdkIsReadAndSentAsSageMakerWroteIt() {
    http.then(Reply.ok("""
        {"ModelName": "base", "ModelArn": "arn:aws:sagemaker:us-east-1:111122223333:model/base",
         "PrimaryContainer": {"ModelPackageName": "%s",
                              "ContainerMetricsConfig": {"EnableContainerMetrics": true}},
         "ExecutionRoleArn": "%s", "CreationTime": 1780315200.1}
        """.formatted(ARN, ROLE)),
        Reply.ok("{\"ModelArn\": \"arn:aws:sagemaker:us-east-1:111122223333:model/m\"}"));

    ModelSettings settings = registry.modelSettings("base").orElseThrow();
    registry.createModel(new ModelToCreate("m", ARN, null, ROLE, Map.of(), settings));

    assertThat(settings.container()).isEqualTo(Map.of("ContainerMetricsConfig",
        Map.of("EnableContainerMetrics", true)));
    assertThat(http.only("CreateModel").json().get("PrimaryContainer")).isEqualTo(Map.of(
        "ModelPackageName", ARN, "ContainerMetricsConfig", Map.of("EnableContainerMetrics", true)));
  }

  @Test
  void aMissingModelHasNoSettings() {
    http.then(Reply.error(400, "ValidationException", "Could not find model \"arn:aws:sagemaker:us-east-1:111122223333:model/gone\"."));

    assertThat(registry.modelSettings("gone")).isEmpty();
  }

  @Test
  void createsAModelWithTheCarriedSettingsBesideThePackage() {
    http.then(Reply.ok("{\"ModelArn\": \"arn:aws:sagemaker:us-east-1:111122223333:model/m\"}"));
    ModelSettings carried = new ModelSettings("base",
        Map.of("EnableNetworkIsolation", true, "VpcConfig", Map.of("SecurityGroupIds",
            List.of("sg-0a1b"), "Subnets", List.of("subnet-1"))),
        Map.of("Environment", Map.of("LOG_LEVEL", "debug")), 1);

    registry.createModel(new ModelToCreate("m", ARN, null, ROLE, Map.of(), carried));

    assertThat(http.only("CreateModel").json()).isEqualTo(Map.of(
        "ModelName", "m",
        "PrimaryContainer", Map.of("ModelPackageName", ARN,
            "Environment", Map.of("LOG_LEVEL", "debug")),
        "ExecutionRoleArn", ROLE,
        "EnableNetworkIsolation", true,
        "VpcConfig", Map.of("SecurityGroupIds", List.of("sg-0a1b"), "Subnets", List.of("subnet-1")),
        "Tags", List.of()));
  }

  @Test
  void copiesAModelOutsideTheRegistryWithItsImageModelDataAndSettingsAndNoPackage() {
    http.then(Reply.ok("{\"ModelArn\": \"arn:aws:sagemaker:us-east-1:111122223333:model/m\"}"));
    ModelSettings source = ModelSettings.fromDescribeModel(Map.of("ModelName", "handmade",
        "EnableNetworkIsolation", true,
        "PrimaryContainer", Map.of("Image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "ModelDataUrl", "s3://b/x/model.tar.gz", "Environment", Map.of("LOG_LEVEL", "warn"))));

    registry.createModel(new ModelToCreate("m", null, null, ROLE, Map.of(), source));

    assertThat(http.only("CreateModel").json()).isEqualTo(Map.of(
        "ModelName", "m",
        "PrimaryContainer", Map.of("Environment", Map.of("LOG_LEVEL", "warn"),
            "Image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "ModelDataUrl", "s3://b/x/model.tar.gz"),
        "ExecutionRoleArn", ROLE,
        "EnableNetworkIsolation", true,
        "Tags", List.of()));
  }

  @Test
  void aRetriedCopyFindingAModelWithAnotherImageIsAConflict() {
    http.then(Reply.error(400, "ValidationException", "Cannot create already existing model \"m\"."),
        Reply.ok("{\"ModelName\": \"m\", \"ExecutionRoleArn\": \"" + ROLE + "\","
            + " \"PrimaryContainer\": {\"Image\": \"111122223333.dkr.ecr.us-east-1.amazonaws.com/x:2\","
            + " \"ModelDataUrl\": \"s3://b/x/model.tar.gz\"}}"));
    ModelSettings source = ModelSettings.fromDescribeModel(Map.of("ModelName", "handmade",
        "PrimaryContainer", Map.of("Image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "ModelDataUrl", "s3://b/x/model.tar.gz")));

    assertThatThrownBy(() -> registry.createModel(new ModelToCreate("m", null, null, ROLE,
        Map.of(), source)))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("image 111122223333.dkr.ecr.us-east-1.amazonaws.com/x:2")
        .hasMessageContaining("a copy of handmade");
  }

  @Test
  void anExistingModelWithoutTheCarriedSettingsIsAConflict() {
    http.then(Reply.error(400, "ValidationException", "Cannot create already existing model \"m\"."),
        Reply.ok(describedModel(ARN, null, ROLE)));
    ModelSettings carried = new ModelSettings("base", Map.of("EnableNetworkIsolation", true),
        Map.of(), 1);

    assertThatThrownBy(() -> registry.createModel(new ModelToCreate("m", ARN, null, ROLE, Map.of(),
        carried)))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("EnableNetworkIsolation");
  }

  @Test
  void aRetriedCreateModelFindingItsOwnModelSucceeds() {
    http.then(Reply.error(400, "ValidationException", "Cannot create already existing model \"arn:aws:sagemaker:us-east-1:111122223333:model/m\"."),
        Reply.ok(describedModel(ARN, null, ROLE)));

    registry.createModel(new ModelToCreate("m", ARN, null, ROLE, Map.of(), ModelSettings.none("base")));

    assertThat(http.operations()).containsExactly("CreateModel", "DescribeModel");
  }

  @Test
  void anExistingModelBuiltFromAnotherPackageIsAConflict() {
    http.then(Reply.error(400, "ValidationException", "Cannot create already existing model \"m\"."),
        Reply.ok(describedModel(ARN.replace("/42", "/41"), null, ROLE)));

    assertThatThrownBy(() -> registry.createModel(new ModelToCreate("m", ARN, null, ROLE, Map.of(), ModelSettings.none("base"))))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("fraud-scoring/41");
  }

  @Test
  void aModelQuotaErrorIsResourceLimitExceeded() {
    http.then(Reply.error(400, "ResourceLimitExceeded", "The account-level service limit 'Number of models' is 1000"));

    assertThatThrownBy(() -> registry.createModel(new ModelToCreate("m", ARN, null, ROLE, Map.of(), ModelSettings.none("base"))))
        .isInstanceOf(ResourceLimitExceededException.class);
  }

  @Test
  void deletingAModelThatIsAlreadyGoneCountsAsDeletedWithoutADelete() {
    // IAM refuses the tag-conditioned delete of a model that does not exist: it is not attempted.
    http.then(Reply.error(400, "ValidationException", "Could not find model \"arn:aws:sagemaker:us-east-1:111122223333:model/m\"."));

    assertThat(registry.deleteModel("m")).isFalse();
    assertThat(http.operations()).containsExactly("DescribeModel");
  }

  @Test
  void aModelKnownToExistIsDeletedWithOneCallAndCountsAsDeletedIfGoneAfterAll() {
    http.then(Reply.ok("{}"),
        Reply.error(400, "AccessDeniedException", "User is not authorized to perform: sagemaker:DeleteModel"),
        Reply.error(400, "ValidationException", "Could not find model \"m2\"."));

    assertThat(registry.deleteExistingModel("m")).isTrue();
    assertThat(registry.deleteExistingModel("m2")).isFalse();
    assertThat(http.operations()).containsExactly("DeleteModel", "DeleteModel", "DescribeModel");
  }

  @Test
  void anExistingModelIsReadThenDeleted() {
    http.then(Reply.ok(describedModel(ARN, null, ROLE)), Reply.ok("{}"));

    assertThat(registry.deleteModel("m")).isTrue();
    assertThat(http.operations()).containsExactly("DescribeModel", "DeleteModel");
  }

  private static String describedModel(String packageArn, String spec, String role) {
    return """
        {"ModelName": "m", "ModelArn": "arn:aws:sagemaker:us-east-1:111122223333:model/m",
         "PrimaryContainer": {"ModelPackageName": "%s"%s},
         "ExecutionRoleArn": "%s", "CreationTime": 1780315200.1}
        """.formatted(packageArn, spec == null ? "" : ", \"InferenceSpecificationName\": \"" + spec + "\"", role);
  }
}
