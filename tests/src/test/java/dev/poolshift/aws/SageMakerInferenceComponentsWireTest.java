package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.component.ComponentSpecification;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentSpecification;
import software.amazon.awssdk.services.sagemaker.model.UpdateInferenceComponentRequest;

class SageMakerInferenceComponentsWireTest {
  /** DescribeInferenceComponent as SageMaker answers it for a component on pools. */
  static final String DESCRIBED_PER_TYPE = """
      {
        "InferenceComponentName": "churn-ic",
        "InferenceComponentArn": "arn:aws:sagemaker:us-east-1:111122223333:inference-component/churn-ic",
        "EndpointName": "churn-ic-endpoint",
        "EndpointArn": "arn:aws:sagemaker:us-east-1:111122223333:endpoint/churn-ic-endpoint",
        "VariantName": "AllTraffic",
        "Specifications": [
          {"InstanceType": "ml.g6e.2xlarge", "ModelName": "churn-v41-g6e",
           "ComputeResourceRequirements": {"NumberOfAcceleratorDevicesRequired": 1, "MinMemoryRequiredInMb": 8192},
           "StartupParameters": {"ContainerStartupHealthCheckTimeoutInSeconds": 600}},
          {"InstanceType": "ml.g6.2xlarge", "ModelName": "churn-v41-g6",
           "ComputeResourceRequirements": {"NumberOfAcceleratorDevicesRequired": 1, "MinMemoryRequiredInMb": 4096},
           "SchedulingConfig": {"PlacementStrategy": "SPREAD"}}
        ],
        "RuntimeConfig": {"DesiredCopyCount": 3, "CurrentCopyCount": 3,
          "PlacementStatus": [{"InstanceType": "ml.g6e.2xlarge", "CurrentCopyCount": 2},
                              {"InstanceType": "ml.g6.2xlarge", "CurrentCopyCount": 1}]},
        "InferenceComponentStatus": "InService",
        "CreationTime": 1780315200.123,
        "LastModifiedTime": 1780316400.456
      }
      """;

  private final StubHttp http = new StubHttp();
  private final SageMakerInferenceComponents components =
      new SageMakerInferenceComponents(AwsClients.sageMaker(http.settings()));

  @Test
  void sdk2402CannotSayWhichInstanceTypeASpecificationIsFor() {
    // When this fails the SDK models per-type specifications: build them with its builders and
    // drop the wire patch from this adapter.
    assertThat(Arrays.stream(InferenceComponentSpecification.builder().getClass().getMethods())
        .map(Method::getName)).doesNotContain("instanceType", "schedulingConfig");
    assertThat(Arrays.stream(UpdateInferenceComponentRequest.builder().getClass().getMethods())
        .map(Method::getName)).doesNotContain("specifications");
  }

  @Test
  void updateSendsOneSpecificationsEntryPerTypeBesideTheSdksRollingUpdatePolicy() {
    http.then(Reply.ok("{\"InferenceComponentArn\": \"arn\"}"));
    ComponentUpdate update = new ComponentUpdate("churn-ic", List.of(
        new ComponentSpecification("ml.g6e.2xlarge", "churn-v42-g6e",
            Map.of("NumberOfAcceleratorDevicesRequired", 1, "MinMemoryRequiredInMb", 8192),
            Map.of("StartupParameters", Map.of("ContainerStartupHealthCheckTimeoutInSeconds", 600))),
        new ComponentSpecification("ml.g6.2xlarge", "churn-v42-g6",
            Map.of("NumberOfAcceleratorDevicesRequired", 1, "MinMemoryRequiredInMb", 4096),
            Map.of("SchedulingConfig", Map.of("PlacementStrategy", "SPREAD")))),
        10, 600, 12000, 100, List.of("poolshift-churn-ic-endpoint-5xx", "churn-latency"));

    components.update(update);

    StubHttp.Sent sent = http.only("UpdateInferenceComponent");
    Map<String, Object> body = sent.json();
    assertThat(body).containsEntry("InferenceComponentName", "churn-ic")
        .doesNotContainKey("Specification");
    assertThat(body.get("Specifications")).isEqualTo(List.of(
        Map.of("InstanceType", "ml.g6e.2xlarge", "ModelName", "churn-v42-g6e",
            "ComputeResourceRequirements",
            Map.of("NumberOfAcceleratorDevicesRequired", 1, "MinMemoryRequiredInMb", 8192),
            "StartupParameters", Map.of("ContainerStartupHealthCheckTimeoutInSeconds", 600)),
        Map.of("InstanceType", "ml.g6.2xlarge", "ModelName", "churn-v42-g6",
            "ComputeResourceRequirements",
            Map.of("NumberOfAcceleratorDevicesRequired", 1, "MinMemoryRequiredInMb", 4096),
            "SchedulingConfig", Map.of("PlacementStrategy", "SPREAD"))));
    assertThat(body.get("DeploymentConfig")).isEqualTo(Map.of(
        "RollingUpdatePolicy", Map.of(
            "MaximumBatchSize", Map.of("Type", "CAPACITY_PERCENT", "Value", 10),
            "WaitIntervalInSeconds", 600,
            "MaximumExecutionTimeoutInSeconds", 12000,
            "RollbackMaximumBatchSize", Map.of("Type", "CAPACITY_PERCENT", "Value", 100)),
        "AutoRollbackConfiguration", Map.of("Alarms", List.of(
            Map.of("AlarmName", "poolshift-churn-ic-endpoint-5xx"),
            Map.of("AlarmName", "churn-latency")))));
    assertThat(sent.header("Content-Length")).isEqualTo(Integer.toString(sent.body().length));
  }

  @Test
  void anUpdateWithoutAlarmsSendsNoAutoRollbackConfiguration() {
    http.then(Reply.ok("{\"InferenceComponentArn\": \"arn\"}"));

    components.update(new ComponentUpdate("churn-ic", List.of(new ComponentSpecification(
        "ml.g6.2xlarge", "churn-v42", Map.of("MinMemoryRequiredInMb", 1024), Map.of())),
        50, 0, 600, 100, List.of()));

    @SuppressWarnings("unchecked")
    Map<String, Object> deployment =
        (Map<String, Object>) http.only("UpdateInferenceComponent").json().get("DeploymentConfig");
    assertThat(deployment).containsOnlyKeys("RollingUpdatePolicy");
  }

  @Test
  void describeReadsThePerTypeSpecificationsAndPlacementTheSdkDrops() {
    http.then(Reply.ok(DESCRIBED_PER_TYPE));

    ComponentState state = components.describe("churn-ic");

    assertThat(state.name()).isEqualTo("churn-ic");
    assertThat(state.endpointName()).isEqualTo("churn-ic-endpoint");
    assertThat(state.variantName()).isEqualTo("AllTraffic");
    assertThat(state.inService()).isTrue();
    assertThat(state.specifications()).extracting(ComponentSpecification::instanceType)
        .containsExactly("ml.g6e.2xlarge", "ml.g6.2xlarge");
    assertThat(state.modelNames()).containsExactly("churn-v41-g6e", "churn-v41-g6");
    assertThat(state.specifications().getFirst().computeResourceRequirements())
        .containsEntry("MinMemoryRequiredInMb", 8192);
    assertThat(state.specifications().getFirst().carried())
        .containsOnlyKeys("StartupParameters");
    assertThat(state.specifications().get(1).carried())
        .containsEntry("SchedulingConfig", Map.of("PlacementStrategy", "SPREAD"));
    assertThat(state.copiesByType()).containsEntry("ml.g6e.2xlarge", 2)
        .containsEntry("ml.g6.2xlarge", 1);
    assertThat(state.desiredCopies()).isEqualTo(3);
  }

  @Test
  void aSingleSpecificationIsOneEntryForEveryType() {
    http.then(Reply.ok("""
        {"InferenceComponentName": "churn-ic", "EndpointName": "e", "VariantName": "AllTraffic",
         "Specification": {"ModelName": "churn-v41",
           "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 2048}},
         "InferenceComponentStatus": "Updating"}
        """));

    ComponentState state = components.describe("churn-ic");

    assertThat(state.specifications()).singleElement().satisfies(s -> {
      assertThat(s.instanceType()).isNull();
      assertThat(s.modelName()).isEqualTo("churn-v41");
    });
    assertThat(state.inService()).isFalse();
  }

  @Test
  void listAsksForTheEndpointsComponentsPageByPage() {
    http.then(Reply.ok("""
        {"InferenceComponents": [{"InferenceComponentName": "a", "InferenceComponentArn": "arn:a",
          "EndpointName": "e", "EndpointArn": "arn:e", "CreationTime": 1, "LastModifiedTime": 1}],
         "NextToken": "page-2"}
        """), Reply.ok("""
        {"InferenceComponents": [{"InferenceComponentName": "b", "InferenceComponentArn": "arn:b",
          "EndpointName": "e", "EndpointArn": "arn:e", "CreationTime": 2, "LastModifiedTime": 2}]}
        """));

    assertThat(components.onEndpoint("e")).containsExactly("a", "b");

    List<StubHttp.Sent> sent = http.sent();
    assertThat(sent).hasSize(2);
    assertThat(sent.getFirst().json()).containsEntry("EndpointNameEquals", "e")
        .doesNotContainKey("NextToken");
    assertThat(sent.get(1).json()).containsEntry("NextToken", "page-2");
  }

  @Test
  void aMissingComponentIsNamed() {
    http.then(Reply.error(400, "ValidationException",
        "Could not find inference component \"arn:aws:sagemaker:us-east-1:111122223333:inference-component/gone\"."));

    assertThatThrownBy(() -> components.describe("gone"))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("gone");
  }
}
