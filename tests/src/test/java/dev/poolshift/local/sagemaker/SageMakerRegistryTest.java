package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.AdditionalInferenceSpecificationDefinition;
import software.amazon.awssdk.services.sagemaker.model.CreateModelPackageResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelPackageResponse;
import software.amazon.awssdk.services.sagemaker.model.InferenceSpecification;
import software.amazon.awssdk.services.sagemaker.model.ListModelPackagesResponse;
import software.amazon.awssdk.services.sagemaker.model.ModelApprovalStatus;
import software.amazon.awssdk.services.sagemaker.model.ModelPackageContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.ModelPackageSummary;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

class SageMakerRegistryTest {
  private final SageMakerFixture f = new SageMakerFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private String register(String approval) {
    CreateModelPackageResponse r = f.client.createModelPackage(b -> b.modelPackageGroupName("churn-model")
        .modelApprovalStatus(approval)
        .inferenceSpecification(InferenceSpecification.builder()
            .containers(ModelPackageContainerDefinition.builder().image(SageMakerFixture.IMAGE).build())
            .supportedContentTypes("application/json").supportedResponseMIMETypes("application/json").build())
        .additionalInferenceSpecifications(AdditionalInferenceSpecificationDefinition.builder().name("g6-int4")
            .containers(ModelPackageContainerDefinition.builder().image(SageMakerFixture.IMAGE + "-int4").build())
            .build())
        .customerMetadataProperties(Map.of("targetEndpoint", "churn-prod")));
    return r.modelPackageArn();
  }

  @Test
  void versionsAreNumberedPerGroupAndTheLatestApprovedComesFirstWhenSortedDescending() {
    f.client.createModelPackageGroup(b -> b.modelPackageGroupName("churn-model"));
    f.client.createModelPackageGroup(b -> b.modelPackageGroupName("fraud-model"));
    String v1 = register("Approved");
    String v2 = register("Approved");
    String v3 = register("PendingManualApproval");
    String other = f.client.createModelPackage(b -> b.modelPackageGroupName("fraud-model")
        .inferenceSpecification(InferenceSpecification.builder()
            .containers(ModelPackageContainerDefinition.builder().image("img").build()).build())).modelPackageArn();

    assertThat(v1).isEqualTo("arn:aws:sagemaker:us-east-1:111122223333:model-package/churn-model/1");
    assertThat(v3).endsWith("/churn-model/3");
    assertThat(other).endsWith("/fraud-model/1");
    ListModelPackagesResponse latest = f.client.listModelPackages(b -> b.modelPackageGroupName("churn-model")
        .modelApprovalStatus(ModelApprovalStatus.APPROVED).sortBy("CreationTime").sortOrder("Descending")
        .maxResults(1));
    assertThat(latest.modelPackageSummaryList()).extracting(ModelPackageSummary::modelPackageArn).containsExactly(v2);
    assertThat(latest.nextToken()).isNotNull();
    DescribeModelPackageResponse d = f.client.describeModelPackage(b -> b.modelPackageName(v3));
    assertThat(d.modelPackageVersion()).isEqualTo(3);
    assertThat(d.modelPackageGroupName()).isEqualTo("churn-model");
    assertThat(d.modelApprovalStatusAsString()).isEqualTo("PendingManualApproval");
    assertThat(d.modelPackageStatusAsString()).isEqualTo("Completed");
    assertThat(d.additionalInferenceSpecifications()).singleElement()
        .satisfies(s -> assertThat(s.name()).isEqualTo("g6-int4"));
    assertThat(d.customerMetadataProperties()).containsEntry("targetEndpoint", "churn-prod");
  }

  @Test
  void listingPagesTenAtATimeByDefaultAndFollowsNextToken() {
    f.client.createModelPackageGroup(b -> b.modelPackageGroupName("churn-model"));
    for (int i = 0; i < 12; i++) {
      register("Approved");
    }
    ListModelPackagesResponse first = f.client.listModelPackages(b -> b.modelPackageGroupName("churn-model"));
    ListModelPackagesResponse second = f.client.listModelPackages(b -> b.modelPackageGroupName("churn-model")
        .nextToken(first.nextToken()));

    assertThat(first.modelPackageSummaryList()).hasSize(10)
        .extracting(ModelPackageSummary::modelPackageVersion).startsWith(1, 2, 3);
    assertThat(second.modelPackageSummaryList()).extracting(ModelPackageSummary::modelPackageVersion)
        .containsExactly(11, 12);
    assertThat(second.nextToken()).isNull();
    assertThat(f.client.listModelPackages(b -> b.modelPackageType("Unversioned")).modelPackageSummaryList()).isEmpty();
  }

  @Test
  void approvalEmitsAnEventNamingModelApprovalStatusAmongTheUpdatedFields() {
    f.client.createModelPackageGroup(b -> b.modelPackageGroupName("churn-model"));
    String arn = register("PendingManualApproval");

    f.client.updateModelPackage(b -> b.modelPackageArn(arn).modelApprovalStatus(ModelApprovalStatus.APPROVED)
        .approvalDescription("AUC 0.91 on holdout"));

    List<ServiceEvent> events = f.packageEvents();
    assertThat(events).hasSize(2);
    assertThat(events.get(0).detail().has("UpdatedModelPackageFields")).as("create carries no field list").isFalse();
    assertThat(events.get(0).detail().path("ModelApprovalStatus").asText()).isEqualTo("PendingManualApproval");
    ServiceEvent approval = events.get(1);
    assertThat(approval.source()).isEqualTo("aws.sagemaker");
    assertThat(approval.resources()).containsExactly(arn);
    JsonNode d = approval.detail();
    assertThat(d.path("ModelApprovalStatus").asText()).isEqualTo("Approved");
    assertThat(d.path("ModelPackageStatus").asText()).isEqualTo("Completed");
    assertThat(d.path("ModelPackageGroupName").asText()).isEqualTo("churn-model");
    assertThat(d.path("ModelPackageVersion").asInt()).isEqualTo(1);
    assertThat(d.path("UpdatedModelPackageFields")).extracting(JsonNode::asText)
        .containsExactly("ModelApprovalStatus", "ApprovalDescription");
    assertThat(d.path("CreationTime").asText()).isEqualTo("2026-06-01T12:00:00Z");
  }

  @Test
  void aMetadataOnlyUpdateReEmitsTheEventStillSayingApproved() {
    f.client.createModelPackageGroup(b -> b.modelPackageGroupName("churn-model"));
    String arn = register("Approved");

    f.client.updateModelPackage(b -> b.modelPackageArn(arn).customerMetadataProperties(Map.of("deployedTo", "prod"))
        .customerMetadataPropertiesToRemove("targetEndpoint"));

    JsonNode d = f.packageEvents().getLast().detail();
    assertThat(d.path("ModelApprovalStatus").asText()).isEqualTo("Approved");
    assertThat(d.path("UpdatedModelPackageFields")).extracting(JsonNode::asText)
        .containsExactly("CustomerMetadataProperties");
    assertThat(f.client.describeModelPackage(b -> b.modelPackageName(arn)).customerMetadataProperties())
        .containsExactly(Map.entry("deployedTo", "prod"));
  }

  @Test
  void addingAnInferenceSpecificationLaterMakesItUsableByCreateModel() {
    String arn = f.world.seedModelPackageVersion("churn-model", "Approved", SageMakerFixture.IMAGE, Map.of());
    assertThatThrownBy(() -> f.world.seedModelFromPackage("churn-v1-g5", arn, "g5-int4"))
        .hasMessageContaining("InferenceSpecificationName 'g5-int4'");

    f.client.updateModelPackage(b -> b.modelPackageArn(arn).additionalInferenceSpecificationsToAdd(
        AdditionalInferenceSpecificationDefinition.builder().name("g5-int4")
            .containers(ModelPackageContainerDefinition.builder().image("img-int4").build()).build()));
    f.world.seedModelFromPackage("churn-v1-g5", arn, "g5-int4");

    assertThat(f.world.modelPackageOfModel("churn-v1-g5")).contains(arn);
    assertThat(f.packageEvents().getLast().detail().path("UpdatedModelPackageFields").get(0).asText())
        .isEqualTo("AdditionalInferenceSpecifications");
  }

  @Test
  void aRetriedCreateWithTheSameClientTokenDoesNotRegisterASecondVersion() {
    f.world.seedModelPackageGroup("churn-model");
    var body = LocalJson.object().put("ModelPackageGroupName", "churn-model").put("ClientToken", "token-1");
    body.putObject("InferenceSpecification").putArray("Containers").addObject().put("Image", "img");

    String first = f.ok("CreateModelPackage", body).path("ModelPackageArn").asText();
    String retry = f.ok("CreateModelPackage", body).path("ModelPackageArn").asText();

    assertThat(retry).isEqualTo(first);
    assertThat(f.packageEvents()).hasSize(1);
  }

  @Test
  void anUnknownPackageOrGroupIsAValidationException() {
    assertThatThrownBy(() -> f.client.describeModelPackage(b -> b.modelPackageName(
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/churn-model/9")))
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).contains("does not exist");
        });
    assertThatThrownBy(() -> f.client.createModelPackage(b -> b.modelPackageGroupName("nope")))
        .hasMessageContaining("Model Package Group nope does not exist");
  }

  @Test
  void createModelRecordsWhichPackageAndSpecificationItServesAndRefusesUnapprovedVersions() {
    String approved = f.approvedPackage();
    String pending = f.world.seedModelPackageVersion("churn-model", "PendingManualApproval", "img", Map.of());

    f.client.createModel(b -> b.modelName("churn-v1-g6").executionRoleArn(SageMakerFixture.ROLE)
        .primaryContainer(c -> c.modelPackageName(approved).inferenceSpecificationName("g6-int4")));

    assertThat(f.world.modelPackageOfModel("churn-v1-g6")).contains(approved);
    assertThat(f.client.describeModel(b -> b.modelName("churn-v1-g6")).primaryContainer().inferenceSpecificationName())
        .isEqualTo("g6-int4");
    assertThatThrownBy(() -> f.client.createModel(b -> b.modelName("churn-v2").executionRoleArn(SageMakerFixture.ROLE)
        .primaryContainer(c -> c.modelPackageName(pending))))
        .hasMessageContaining("only Approved versions");
    assertThatThrownBy(() -> f.client.createModel(b -> b.modelName("churn-v1-x").executionRoleArn(SageMakerFixture.ROLE)
        .primaryContainer(c -> c.modelPackageName(approved).inferenceSpecificationName("p5-fp8"))))
        .hasMessageContaining("InferenceSpecificationName 'p5-fp8'")
        .hasMessageContaining("primaryContainer.inferenceSpecificationName");
    assertThatThrownBy(() -> f.client.createModel(b -> b.modelName("churn-v1-g6").executionRoleArn(SageMakerFixture.ROLE)
        .primaryContainer(c -> c.image("img"))))
        .hasMessageContaining("Cannot create already existing model \"arn:aws:sagemaker:us-east-1:111122223333:model/churn-v1-g6\"");
    assertThatThrownBy(() -> f.client.describeModel(b -> b.modelName("nope")))
        .hasMessageContaining("Could not find model \"arn:aws:sagemaker:us-east-1:111122223333:model/nope\"");
  }

  @Test
  void aDeletedModelKeepsServingOnItsEndpointButCanNoLongerBeDescribed() {
    String pkg = f.approvedPackage();
    f.world.seedModelFromPackage("churn-v1", pkg, null);
    f.world.seedModelFromPackage("churn-v1-g6", pkg, "g6-int4");
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-v1", "churn-v1", "ml.g5.2xlarge", 1));
    f.world.seedEndpoint("churn-prod", "cfg-v1");

    f.client.deleteModel(b -> b.modelName("churn-v1"));

    assertThat(f.client.listModels().models()).extracting(m -> m.modelName()).containsExactly("churn-v1-g6");
    assertThatThrownBy(() -> f.client.deleteModel(b -> b.modelName("churn-v1")))
        .hasMessageContaining("Could not find model");
    assertThat(f.world.requireEndpoint("churn-prod").trafficShareByModelPackage()).containsOnlyKeys(pkg);
    assertThatThrownBy(() -> f.client.createEndpoint(b -> b.endpointName("churn-new").endpointConfigName("cfg-v1")))
        .hasMessageContaining("Could not find model \"arn:aws:sagemaker:us-east-1:111122223333:model/churn-v1\"");
  }
}
