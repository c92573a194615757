package dev.poolshift.rollout.profile;

import dev.poolshift.rollout.FieldError;
import dev.poolshift.rollout.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileParserTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution";

  /** The smallest valid profile, as parsed JSON; tests change one thing at a time. */
  static Map<String, Object> minimal() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("endpointName", "fraud-scoring-prod");
    p.put("executionRoleArn", ROLE);
    p.put("instancePools", List.of(pool("ml.g5.2xlarge", 1)));
    return p;
  }

  static Map<String, Object> pool(String type, Object priority) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("instanceType", type);
    p.put("priority", priority);
    return p;
  }

  static List<String> errorsOf(Map<String, Object> json) {
    try {
      ProfileParser.parse(json, null);
    } catch (InvalidInputException e) {
      return e.errors().stream().map(FieldError::toString).toList();
    }
    throw new AssertionError("expected the profile to be rejected: " + json);
  }

  @Test
  void theDocumentedExampleParsesWithItsRankedPools() throws Exception {
    Object json = Json.parse(Files.readString(Path.of("events/profiles/fraud-scoring.json")));

    DeploymentProfile p = ProfileParser.parse(json, "events/profiles/fraud-scoring.json");

    assertThat(p.endpointName()).isEqualTo("fraud-scoring-prod");
    assertThat(p.instancePools()).containsExactly(
        new PoolPreference("ml.g5.2xlarge", 1, null),
        new PoolPreference("ml.g5.4xlarge", 2, null),
        new PoolPreference("ml.g6.2xlarge", 3, "g6-int8"));
    assertThat(p.thresholds()).isEqualTo(new Thresholds(0.001, 100));
    assertThat(p.enhancedMetrics()).isTrue();
  }

  @Test
  void absentFieldsTakeTheDocumentedDefaults() {
    DeploymentProfile p = ProfileParser.parse(minimal(), null);

    assertThat(p.variantName()).isNull();
    assertThat(p.provisionTimeoutSeconds()).isEqualTo(1200);
    assertThat(p.canarySteps()).containsExactly(10, 50, 100);
    assertThat(p.bakeSeconds()).isEqualTo(600);
    assertThat(p.minInvocationsPerStep()).isEqualTo(100);
    assertThat(p.maxWaitForInvocationsSeconds()).isEqualTo(1800);
    assertThat(p.thresholds()).isEqualTo(new Thresholds(0.001, null));
    assertThat(p.gateAlarmNames()).isEmpty();
    assertThat(p.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.QUEUE);
    assertThat(p.fallbackPolicy()).isEqualTo(FallbackPolicy.PROCEED);
    assertThat(p.enhancedMetrics()).isFalse();
    assertThat(p.instanceCount()).isNull();
    assertThat(p.keepCurrentTypeFirst()).isTrue();
    assertThat(p.overrideExistingPools()).isFalse();
  }

  @Test
  void poolsAreRankedByPriorityWhateverOrderTheyAreWrittenIn() {
    Map<String, Object> json = minimal();
    json.put("instancePools", List.of(pool("ml.g6.2xlarge", 3), pool("ml.g5.2xlarge", 1),
        pool("ml.g5.4xlarge", 2)));

    assertThat(ProfileParser.parse(json, null).instancePools()).extracting(PoolPreference::instanceType)
        .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
  }

  @Test
  void sixPoolsAreTooMany() {
    Map<String, Object> json = minimal();
    json.put("instancePools", List.of(pool("ml.g5.xlarge", 1), pool("ml.g5.2xlarge", 2),
        pool("ml.g5.4xlarge", 3), pool("ml.g6.xlarge", 4), pool("ml.g6.2xlarge", 5),
        pool("ml.g6.4xlarge", 5)));

    assertThat(errorsOf(json)).contains("instancePools: at most 5 entries (got 6)");
  }

  @Test
  void duplicatePrioritiesAreNamedByTheSecondEntry() {
    Map<String, Object> json = minimal();
    json.put("instancePools", List.of(pool("ml.g5.2xlarge", 1), pool("ml.g5.4xlarge", 1),
        pool("ml.g6.2xlarge", 2)));

    assertThat(errorsOf(json)).containsExactly("instancePools[1].priority: duplicate value 1");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 6, -1})
  void prioritiesOutsideOneToFiveAreRejected(int priority) {
    Map<String, Object> json = minimal();
    json.put("instancePools", List.of(pool("ml.g5.2xlarge", priority)));

    assertThat(errorsOf(json)).containsExactly(
        "instancePools[0].priority: must be 1–5 (got " + priority + ")");
  }

  @Test
  void theSameInstanceTypeInTwoPoolsIsRejected() {
    Map<String, Object> json = minimal();
    json.put("instancePools", List.of(pool("ml.g5.2xlarge", 1), pool("ml.g5.2xlarge", 2)));

    assertThat(errorsOf(json)).containsExactly(
        "instancePools[1].instanceType: duplicate value ml.g5.2xlarge");
  }

  @ParameterizedTest
  @ValueSource(strings = {"g5.2xlarge", "ml.g5", "ml.G5.2xlarge", "ml.g5.2xlarge ", "ml..2xlarge"})
  void instanceTypesMustHaveTheMlFamilySizeShape(String type) {
    Map<String, Object> json = minimal();
    json.put("instancePools", List.of(pool(type, 1)));

    assertThat(errorsOf(json)).singleElement().asString()
        .startsWith("instancePools[0].instanceType: must look like ml.<family>.<size>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[10,5,100]", "[10,50]", "[0,50,100]", "[10,50,150]", "[]", "[50,50,100]"})
  void badCanarySchedulesAreRejectedWithOneRule(String steps) throws Exception {
    Map<String, Object> json = minimal();
    json.put("canarySteps", Json.parse(steps));

    assertThat(errorsOf(json)).containsExactly(
        "canarySteps: must be strictly increasing, within (0,100], ending at 100");
  }

  @Test
  void aSingleStepStraightTo100IsAllowed() {
    Map<String, Object> json = minimal();
    json.put("canarySteps", List.of(100));

    assertThat(ProfileParser.parse(json, null).canarySteps()).containsExactly(100);
  }

  @ParameterizedTest
  @ValueSource(ints = {299, 3601})
  void provisionTimeoutOutsideTheSageMakerRangeIsRejected(int seconds) {
    Map<String, Object> json = minimal();
    json.put("provisionTimeoutSeconds", seconds);

    assertThat(errorsOf(json)).containsExactly(
        "provisionTimeoutSeconds: must be 300–3600 (got " + seconds + ")");
  }

  @Test
  void unknownFieldsAreRejectedNotIgnored() {
    Map<String, Object> json = minimal();
    json.put("skipAlarmCheck", true);
    json.put("thresholds", Map.of("max5xxRate", 0.01, "p999LatencyMs", 5));
    json.put("instancePools", List.of(Map.of("instanceType", "ml.g5.2xlarge", "priority", 1, "weight", 2)));

    assertThat(errorsOf(json)).containsExactlyInAnyOrder(
        "skipAlarmCheck: unknown field",
        "thresholds.p999LatencyMs: unknown field",
        "instancePools[0].weight: unknown field");
  }

  @Test
  void aMissingEndpointNameIsRequired() {
    Map<String, Object> json = minimal();
    json.remove("endpointName");

    assertThat(errorsOf(json)).containsExactly("endpointName: required");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, Object> json = minimal();
    json.put("endpointName", "x".repeat(64));
    json.put("provisionTimeoutSeconds", 299);
    json.put("canarySteps", List.of(10, 50));
    json.put("bakeSeconds", "600");
    json.put("concurrencyPolicy", "wait");
    json.put("fallbackPolicy", "maybe");
    json.put("thresholds", Map.of("max5xxRate", 2));
    json.put("gateAlarmNames", List.of("a", "a"));

    assertThat(errorsOf(json)).containsExactlyInAnyOrder(
        "endpointName: must be 1–63 characters (got 64)",
        "provisionTimeoutSeconds: must be 300–3600 (got 299)",
        "canarySteps: must be strictly increasing, within (0,100], ending at 100",
        "bakeSeconds: must be an integer (got string)",
        "concurrencyPolicy: must be one of queue, reject, supersede (got \"wait\")",
        "fallbackPolicy: must be one of proceed, pause, fail (got \"maybe\")",
        "thresholds.max5xxRate: must be a fraction 0–1, e.g. 0.001 for 0.1% (got 2.0)",
        "gateAlarmNames[1]: duplicate value a");
  }

  @Test
  void wrongTypesNameTheFieldAndWhatWasExpected() {
    Map<String, Object> json = minimal();
    json.put("instancePools", Map.of("instanceType", "ml.g5.2xlarge"));
    json.put("enhancedMetrics", "yes");
    json.put("variantName", null);
    json.put("instanceCount", 1.5);

    assertThat(errorsOf(json)).containsExactlyInAnyOrder(
        "instancePools: must be an array (got object)",
        "enhancedMetrics: must be a boolean (got string)",
        "variantName: must not be null",
        "instanceCount: must be an integer (got 1.5)");
  }

  @Test
  void namesThatCouldEscapeOrInjectAreRejected() {
    Map<String, Object> json = minimal();
    json.put("endpointName", "../x");
    json.put("variantName", "{\"a\":1}");
    json.put("executionRoleArn", "arn:aws:iam::111122223333:user/alice");

    assertThat(errorsOf(json)).hasSize(3)
        .anySatisfy(e -> assertThat(e).startsWith("endpointName: must be letters, digits and hyphens"))
        .anySatisfy(e -> assertThat(e).startsWith("variantName: must be letters, digits and hyphens"))
        .anySatisfy(e -> assertThat(e).startsWith("executionRoleArn: must be an IAM role ARN"));
  }

  @Test
  void aProfileThatIsNotAnObjectSaysSo() {
    assertThatThrownBy(() -> ProfileParser.parse(List.of(), "/poolshift/profiles/x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("deployment profile /poolshift/profiles/x: (root): must be a JSON object (got array)");
  }

  @Test
  void integralDecimalsCountAsIntegersLikeInJsonSchema() {
    Map<String, Object> json = minimal();
    json.put("bakeSeconds", 900.0);

    assertThat(ProfileParser.parse(json, null).bakeSeconds()).isEqualTo(900);
  }

  @Test
  void aHandBuiltProfileObeysTheSameRules() {
    assertThatThrownBy(() -> DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn(ROLE).pool("ml.g5.2xlarge").provisionTimeoutSeconds(3601)
        .canarySteps(List.of(50, 10, 100)).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("provisionTimeoutSeconds: must be 300–3600 (got 3601)")
        .hasMessageContaining("canarySteps: must be strictly increasing");
  }

  static Map<String, Object> weighted(Object targetValue, Map<String, Object> capacities) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("targetValue", targetValue);
    w.put("maxConcurrencyPerInstance", capacities);
    return w;
  }

  @Test
  void weightedAutoscalingIsReadWithItsDefaultCooldowns() {
    Map<String, Object> json = minimal();
    json.put("instancePools", List.of(pool("ml.g6e.2xlarge", 1), pool("ml.g6.2xlarge", 2)));
    json.put("weightedAutoscaling",
        weighted(0.7, Map.of("ml.g6e.2xlarge", 12, "ml.g6.2xlarge", 7)));

    DeploymentProfile p = ProfileParser.parse(json, null);

    assertThat(p.weightedAutoscaling()).isEqualTo(new WeightedAutoscaling(0.7,
        Map.of("ml.g6e.2xlarge", 12, "ml.g6.2xlarge", 7), 60, 300));
    assertThat(ProfileParser.parse(minimal(), null).weightedAutoscaling()).isNull();
  }

  @Test
  void weightedAutoscalingNamesEveryWrongSetting() {
    Map<String, Object> json = minimal();
    Map<String, Object> w = weighted(1.5, Map.of("ml.g6.2xlarge", 0, "g5.big", 3));
    w.put("scaleInCooldownSeconds", -1);
    w.put("weights", Map.of());
    json.put("weightedAutoscaling", w);

    assertThat(errorsOf(json)).containsExactlyInAnyOrder(
        "weightedAutoscaling.weights: unknown field",
        "weightedAutoscaling.targetValue: must be a utilization within (0,1], e.g. 0.7 (got 1.5)",
        "weightedAutoscaling.maxConcurrencyPerInstance.g5.big: must look like ml.<family>.<size>,"
            + " e.g. ml.g5.2xlarge (got \"g5.big\")",
        "weightedAutoscaling.maxConcurrencyPerInstance.ml.g6.2xlarge: must be 1–100000 (got 0)",
        "weightedAutoscaling.scaleInCooldownSeconds: must be 0–3600 (got -1)");
  }

  @Test
  void weightedAutoscalingNeedsACapacityForEveryPoolType() {
    Map<String, Object> json = minimal();
    json.put("instancePools", List.of(pool("ml.g6e.2xlarge", 1), pool("ml.g6.2xlarge", 2)));
    json.put("weightedAutoscaling", weighted(0.7, Map.of("ml.g6e.2xlarge", 12)));

    assertThat(errorsOf(json)).containsExactly(
        "weightedAutoscaling.maxConcurrencyPerInstance: no entry for pool type ml.g6.2xlarge");
  }

  @Test
  void aHandBuiltProfileIsHeldToTheSameWeightedAutoscalingRules() {
    assertThatThrownBy(() -> DeploymentProfile.builder().endpointName("fraud-scoring-prod")
        .executionRoleArn(ROLE).pool("ml.g6e.2xlarge").pool("ml.g6.2xlarge")
        .weightedAutoscaling(new WeightedAutoscaling(0.7, Map.of("ml.g6e.2xlarge", 12))).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no entry for pool type ml.g6.2xlarge");
    assertThatThrownBy(() -> new WeightedAutoscaling(0, Map.of("ml.g6e.2xlarge", 12)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("weightedAutoscaling.targetValue");
  }
}
