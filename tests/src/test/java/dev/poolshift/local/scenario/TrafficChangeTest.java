package dev.poolshift.local.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.cloudwatch.TrafficScenario;
import dev.poolshift.local.cloudwatch.TrafficScenario.LatencyProfile;
import dev.poolshift.local.cloudwatch.TrafficScenario.ModelBehaviour;
import dev.poolshift.local.cloudwatch.TrafficScenario.RequestRate;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge rules of the timeline's {@code traffic} action, over the traffic in force. */
class TrafficChangeTest {
  static final String V2 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/2";
  static final String G5 = "ml.g5.2xlarge";
  static final String G6 = "ml.g6.2xlarge";
  static final Duration AT = Duration.ofMinutes(30);

  /** v2: 0.1% 5xx, p50 29 / p99 64 everywhere; on g6 (int8 build) 4% 5xx and slower. */
  private static final TrafficScenario IN_FORCE = new TrafficScenario(7,
      RequestRate.constant(0),
      Map.of("fraud-scoring-prod", new RequestRate(List.of(new RequestRate.Step(Duration.ZERO, 27000),
          new RequestRate.Step(Duration.ofHours(1), 9000)))),
      ModelBehaviour.healthy(),
      List.of(new ModelBehaviour(V2, null, 0.001, 0, new LatencyProfile(29, 64)),
          new ModelBehaviour(V2, G6, 0.04, 0.01, new LatencyProfile(35, 90))));

  private static TrafficScenario merge(String spec) {
    return TrafficChange.merged(IN_FORCE, LocalJson.parse(spec), "timeline[3].traffic", AT, key ->
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/" + key);
  }

  @Test
  void aVersionWideFieldAppliesOnEveryTypeAndTheOtherFieldsStay() {
    TrafficScenario next = merge("""
        {"models": {"fraud-scoring/2": {"error5xxRate": 0.2}}}""");

    assertThat(next.behaviour(V2, G5)).isEqualTo(new ModelBehaviour(V2, null, 0.2, 0, new LatencyProfile(29, 64)));
    assertThat(next.behaviour(V2, G6)).isEqualTo(new ModelBehaviour(V2, G6, 0.2, 0.01, new LatencyProfile(35, 90)));
  }

  @Test
  void aTypeFieldAppliesOnThatTypeOnlyOverWhatTheVersionDidThere() {
    TrafficScenario next = merge("""
        {"models": {"fraud-scoring/2": {"instanceTypes": {"ml.g5.2xlarge": {"latencyP99Ms": 300}}}}}""");

    assertThat(next.behaviour(V2, G5)).isEqualTo(new ModelBehaviour(V2, G5, 0.001, 0, new LatencyProfile(29, 300)));
    assertThat(next.behaviour(V2, "ml.g5.4xlarge")).isEqualTo(IN_FORCE.behaviour(V2, "ml.g5.4xlarge"));
    assertThat(next.behaviour(V2, G6)).isEqualTo(IN_FORCE.behaviour(V2, G6));
  }

  @Test
  void aTypeFieldOfTheSameEntryAppliesAfterTheVersionWideOnes() {
    TrafficScenario next = merge("""
        {"models": {"fraud-scoring/2": {"error5xxRate": 0, "instanceTypes": {"ml.g6.2xlarge": {"error5xxRate": 0.3}}}}}""");

    assertThat(next.behaviour(V2, G5).fraction5xx()).isZero();
    assertThat(next.behaviour(V2, G6).fraction5xx()).isEqualTo(0.3);
  }

  @Test
  void aVersionWithoutABehaviourStartsFromTheDefault() {
    TrafficScenario next = merge("""
        {"models": {"fraud-scoring/3": {"instanceTypes": {"ml.g6.2xlarge": {"error4xxRate": 0.05}}}}}""");
    String v3 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/3";

    assertThat(next.behaviour(v3, G6)).isEqualTo(new ModelBehaviour(v3, G6, 0, 0.05, new LatencyProfile(20, 60)));
    assertThat(next.behaviour(v3, G5)).isEqualTo(ModelBehaviour.healthy());
  }

  @Test
  void anEndpointRateHoldsFromTheChangeOnAndReplacesLaterSteps() {
    TrafficScenario next = merge("""
        {"endpoints": {"fraud-scoring-prod": {"requestsPerMinute": 300}}}""");

    assertThat(next.rate("fraud-scoring-prod").steps()).containsExactly(
        new RequestRate.Step(Duration.ZERO, 27000), new RequestRate.Step(AT, 300));
    assertThat(next.seed()).isEqualTo(7);
  }

  @Test
  void aCombinationOnlyTheMergeMakesInvalidIsRefusedNamingTheField() {
    assertThatThrownBy(() -> merge("""
        {"models": {"fraud-scoring/2": {"latencyP50Ms": 80, "instanceTypes": {"ml.g6.2xlarge": {"error4xxRate": 0.99}}}}}"""))
        .isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactly(
            "timeline[3].traffic.models.fraud-scoring/2.latencyP50Ms: latencyP50Ms 80.0 would be above"
                + " latencyP99Ms 64.0 (set both)",
            "timeline[3].traffic.models.fraud-scoring/2.instanceTypes.ml.g6.2xlarge.error4xxRate: error5xxRate 0.04"
                + " + error4xxRate 0.99 in force would be above 1"));
  }
}
