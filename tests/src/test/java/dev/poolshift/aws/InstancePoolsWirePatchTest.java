package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.aws.StubHttp.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateEndpointConfigRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;

class InstancePoolsWirePatchTest {
  private final StubHttp http = new StubHttp();
  private final SageMakerClient sageMaker = AwsClients.sageMaker(http.settings());

  @Test
  void aVariantGivenInstancePoolsLosesTheInstanceTypeTheSdkSerialised() {
    http.then(Reply.ok("{}"));
    CreateEndpointConfigRequest.Builder request = CreateEndpointConfigRequest.builder()
        .endpointConfigName("c")
        .productionVariants(v -> v.variantName("AllTraffic").modelName("m")
            .instanceType("ml.g5.2xlarge").initialInstanceCount(1));
    InstancePoolsWirePatch.attach(request, Map.of("ProductionVariants", List.of(Map.of(
        "VariantName", "AllTraffic", "ModelName", "m", "InitialInstanceCount", 1,
        "InstanceType", "ml.g5.2xlarge",
        "InstancePools", List.of(Map.of("InstanceType", "ml.g5.2xlarge", "Priority", 1))))));

    sageMaker.createEndpointConfig(request.build());

    @SuppressWarnings("unchecked")
    Map<String, Object> variant = (Map<String, Object>) ((List<?>) http.only("CreateEndpointConfig")
        .json().get("ProductionVariants")).getFirst();
    assertThat(variant).doesNotContainKey("InstanceType")
        .containsEntry("InstancePools", List.of(Map.of("InstanceType", "ml.g5.2xlarge", "Priority", 1)));
  }

  @Test
  void fieldsTheOverlayDoesNotMentionKeepTheSdksSerialisation() {
    http.then(Reply.ok("{}"));
    CreateEndpointConfigRequest.Builder request = CreateEndpointConfigRequest.builder()
        .endpointConfigName("c").kmsKeyId("key-1")
        .productionVariants(v -> v.variantName("AllTraffic").modelName("m").instanceType("ml.m5.large"));
    InstancePoolsWirePatch.attach(request, Map.of("MetricsConfig", Map.of("EnableDetailedObservability", true)));

    sageMaker.createEndpointConfig(request.build());

    StubHttp.Sent sent = http.only("CreateEndpointConfig");
    assertThat(sent.json()).containsEntry("KmsKeyId", "key-1")
        .containsEntry("MetricsConfig", Map.of("EnableDetailedObservability", true))
        .containsKey("ProductionVariants");
    assertThat(sent.header("Content-Length")).isEqualTo(Integer.toString(sent.body().length));
  }

  @Test
  void requestsWithoutAnExchangeGoOutAsTheSdkBuiltThem() {
    http.then(Reply.ok("{}"));

    sageMaker.createEndpointConfig(b -> b.endpointConfigName("c")
        .productionVariants(v -> v.variantName("AllTraffic").modelName("m").instanceType("ml.m5.large")));

    assertThat(http.only("CreateEndpointConfig").text()).isEqualTo(
        "{\"EndpointConfigName\":\"c\",\"ProductionVariants\":[{\"VariantName\":\"AllTraffic\","
            + "\"ModelName\":\"m\",\"InstanceType\":\"ml.m5.large\"}]}");
  }

  @Test
  void theRawResponseKeepsWhatTheSdkDropsWhileTheSdkStillUnmarshals() {
    http.then(Reply.ok("""
        {"EndpointName": "e", "EndpointArn": "arn", "EndpointStatus": "InService",
         "ProductionVariants": [{"VariantName": "v", "CurrentWeight": 1.0,
           "InstancePools": [{"InstanceType": "ml.g6.2xlarge", "CurrentInstanceCount": 3}]}]}
        """));
    DescribeEndpointRequest.Builder request = DescribeEndpointRequest.builder().endpointName("e");
    InstancePoolsWirePatch.Exchange exchange = InstancePoolsWirePatch.attach(request, null);

    DescribeEndpointResponse response = sageMaker.describeEndpoint(request.build());

    assertThat(response.endpointStatusAsString()).isEqualTo("InService");
    assertThat(response.productionVariants().getFirst().currentWeight()).isEqualTo(1.0f);
    Map<?, ?> variant = (Map<?, ?>) ((List<?>) exchange.responseJson().get("ProductionVariants")).getFirst();
    assertThat(variant.get("InstancePools"))
        .isEqualTo(List.of(Map.of("InstanceType", "ml.g6.2xlarge", "CurrentInstanceCount", 3)));
  }
}
