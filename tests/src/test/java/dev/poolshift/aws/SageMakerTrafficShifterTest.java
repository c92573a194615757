package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.endpoint.VariantWeight;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

class SageMakerTrafficShifterTest {
  private final StubHttp http = new StubHttp();
  private final SageMakerClient client = AwsClients.sageMaker(http.settings());
  private final SageMakerTrafficShifter shifter = new SageMakerTrafficShifter(client);

  @Test
  void setsTheDesiredWeightsOfBothVariantsInOneCall() {
    http.then(Reply.ok("{\"EndpointArn\": \"x\"}"));

    shifter.setWeights(twoVariants("InService", 1.0, 0.0),
        List.of(new VariantWeight("AllTraffic", 0.9), new VariantWeight("canary-v42", 0.1)));

    assertThat(http.only("UpdateEndpointWeightsAndCapacities").json()).isEqualTo(Map.of(
        "EndpointName", "fraud-scoring-prod",
        "DesiredWeightsAndCapacities", List.of(
            Map.of("VariantName", "AllTraffic", "DesiredWeight", 0.9),
            Map.of("VariantName", "canary-v42", "DesiredWeight", 0.1))));
  }

  @Test
  void aRetryWhileTheSameWeightsAreBeingAppliedSendsNothing() {
    shifter.setWeights(twoVariants("Updating", 0.9, 0.1),
        List.of(new VariantWeight("AllTraffic", 0.9), new VariantWeight("canary-v42", 0.1)));

    assertThat(http.operations()).as("the caller's read is trusted: no call at all").isEmpty();
  }

  @Test
  void differentWeightsOnABusyEndpointAreEndpointBusy() {
    http.then(Reply.error(400, "ValidationException", "Cannot update in-progress endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scoring-prod\"."));

    assertThatThrownBy(() -> shifter.setWeights(twoVariants("Updating", 0.5, 0.5),
        List.of(new VariantWeight("AllTraffic", 1.0), new VariantWeight("canary-v42", 0.0))))
        .isInstanceOf(EndpointBusyException.class);
  }

  private static EndpointState twoVariants(String status, double baseline, double canary) {
    return new EndpointState("fraud-scoring-prod", status, "c", null, List.of(
        new VariantState("AllTraffic", 1.0, baseline, 2, 2, List.of()),
        new VariantState("canary-v42", 0.0, canary, 1, 1, List.of())), null, List.of());
  }

}
