package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.endpoint.VariantWeight;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

class SageMakerTrafficShifterTest {
  private final StubHttp http = new StubHttp();
  private final SageMakerClient client = AwsClients.sageMaker(http.settings());
  private final SageMakerTrafficShifter shifter =
      new SageMakerTrafficShifter(client, new SageMakerEndpoints(client));

  @Test
  void setsTheDesiredWeightsOfBothVariantsInOneCall() {
    http.then(Reply.ok(twoVariants("InService", 1.0, 0.0)), Reply.ok("{\"EndpointArn\": \"x\"}"));

    shifter.setWeights("fraud-scoring-prod",
        List.of(new VariantWeight("AllTraffic", 0.9), new VariantWeight("canary-v42", 0.1)));

    assertThat(http.only("UpdateEndpointWeightsAndCapacities").json()).isEqualTo(Map.of(
        "EndpointName", "fraud-scoring-prod",
        "DesiredWeightsAndCapacities", List.of(
            Map.of("VariantName", "AllTraffic", "DesiredWeight", 0.9),
            Map.of("VariantName", "canary-v42", "DesiredWeight", 0.1))));
  }

  @Test
  void aRetryWhileTheSameWeightsAreBeingAppliedSendsNothing() {
    http.then(Reply.ok(twoVariants("Updating", 0.9, 0.1)));

    shifter.setWeights("fraud-scoring-prod",
        List.of(new VariantWeight("AllTraffic", 0.9), new VariantWeight("canary-v42", 0.1)));

    assertThat(http.operations()).containsExactly("DescribeEndpoint");
  }

  @Test
  void differentWeightsOnABusyEndpointAreEndpointBusy() {
    http.then(Reply.ok(twoVariants("Updating", 0.5, 0.5)),
        Reply.error(400, "ValidationException", "Cannot update in-progress endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scoring-prod\"."));

    assertThatThrownBy(() -> shifter.setWeights("fraud-scoring-prod",
        List.of(new VariantWeight("AllTraffic", 1.0), new VariantWeight("canary-v42", 0.0))))
        .isInstanceOf(EndpointBusyException.class);
  }

  private static String twoVariants(String status, double baseline, double canary) {
    return """
        {"EndpointName": "fraud-scoring-prod", "EndpointArn": "arn", "EndpointStatus": "%s",
         "EndpointConfigName": "c",
         "ProductionVariants": [
           {"VariantName": "AllTraffic", "CurrentWeight": 1.0, "DesiredWeight": %s},
           {"VariantName": "canary-v42", "CurrentWeight": 0.0, "DesiredWeight": %s}]}
        """.formatted(status, baseline, canary);
  }
}
