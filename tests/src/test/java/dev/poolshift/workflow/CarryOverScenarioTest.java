package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped scenarios of endpoints whose models and configs carry settings a rollout must keep:
 * each created model and config is read back from SageMaker and compared field by field with the
 * baseline's.
 */
class CarryOverScenarioTest {
  /** DescribeModel members a new model legitimately differs in (the role is the profile's). */
  private static final Set<String> MODEL_OWN = Set.of("ModelName", "ModelArn", "CreationTime",
      "PrimaryContainer", "ExecutionRoleArn");
  /** Primary-container members that are the package's. */
  private static final Set<String> CONTAINER_OWN = Set.of("ModelPackageName",
      "InferenceSpecificationName", "Image", "ModelDataUrl");

  @Test
  void everyModelTheRolloutCreatesKeepsTheBaselineModelsVpcIsolationAndEnvironment() {
    try (Rehearsal r = Rehearsal.of("vpc-isolated-model.json", s -> { })) {
      LocalRuntime rt = r.runtime();
      String baselineModel = baselineModelName(rt);
      JsonNode baseline = describeModel(rt, baselineModel);
      r.runUntilState("Bake under alarms");
      List<String> created = rt.sageMaker().mutations().stream()
          .filter(m -> m.accepted() && m.operation().equals("CreateModel"))
          .map(SageMakerMutation::resource).toList();
      assertThat(created).as("v2, its g6 int8 build and v1's g6 int8 build for the baseline copy")
          .hasSize(3);
      for (String name : created) {
        JsonNode model = describeModel(rt, name);
        assertThat(fieldsBut(model, MODEL_OWN)).as("model %s, beside its name", name)
            .isEqualTo(fieldsBut(baseline, MODEL_OWN));
        assertThat(fieldsBut(model.path("PrimaryContainer"), CONTAINER_OWN))
            .as("model %s's container, beside the package", name)
            .isEqualTo(fieldsBut(baseline.path("PrimaryContainer"), CONTAINER_OWN));
        assertThat(model.path("ExecutionRoleArn").asText()).as("the profile's role")
            .endsWith(":role/sagemaker-fraud-scoring-execution");
      }
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      JsonNode promoted = describeModel(rt, created.getFirst());
      assertThat(promoted.path("EnableNetworkIsolation").asBoolean()).isTrue();
      assertThat(promoted.path("VpcConfig").path("Subnets")).hasSize(2);
      assertThat(promoted.path("PrimaryContainer").path("Environment").path("SCORE_THRESHOLD")
          .asText()).isEqualTo("0.72");
      assertThat(promoted.path("PrimaryContainer").path("ModelPackageName").asText())
          .isEqualTo(Rehearsal.V2);
      r.assertInvariants();
    }
  }

  @Test
  void aKmsEncryptedEndpointMovingOntoNvmeTypesIsRefusedNamingTheRuleBeforeAnythingChanges() {
    try (Rehearsal r = Rehearsal.of("kms-onto-nvme.json", s -> { })) {
      String before = r.runtime().sageMaker().requireEndpoint(Rehearsal.ENDPOINT).configName();
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("REJECTED");
      assertThat(execution.path("cause").asText()).contains("KmsKeyId: ")
          .contains("[ml.g5.2xlarge, ml.g5.4xlarge, ml.g6.2xlarge] have local NVMe")
          .contains("CreateEndpointConfig refuses a KmsKeyId");
      assertThat(r.report().json().path("sagemakerMutationCount").asInt())
          .as("no model, no config, no update").isZero();
      assertThat(r.runtime().sageMaker().requireEndpoint(Rehearsal.ENDPOINT).configName())
          .isEqualTo(before);
      assertThat(WorkflowInvariants.stateItems(r.runtime())).as("never locked")
          .noneMatch(i -> i.endsWith("/LOCK"));
      r.assertInvariants();
    }
  }

  @Test
  void theOtherVariantOfAMultiVariantEndpointKeepsItsModelAndLiveWeightThroughPromotion() {
    try (Rehearsal r = Rehearsal.of("multi-variant.json", s -> { })) {
      LocalRuntime rt = r.runtime();
      JsonNode baselineConfig = describeConfig(rt, rt.sageMaker().requireEndpoint(Rehearsal.ENDPOINT).configName());
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      var endpoint = rt.sageMaker().requireEndpoint(Rehearsal.ENDPOINT);
      JsonNode promoted = describeConfig(rt, endpoint.configName());
      JsonNode challengerBefore = variant(baselineConfig, "Challenger");
      JsonNode challengerAfter = variant(promoted, "Challenger");
      assertThat(normalized(challengerAfter)).as("every member of the Challenger variant, as it was")
          .isEqualTo(normalized(challengerBefore));
      assertThat(endpoint.variants()).extracting(v -> v.name() + "=" + v.currentWeight())
          .containsExactlyInAnyOrder("AllTraffic=0.8", "Challenger=0.2");
      assertThat(variant(promoted, "AllTraffic").path("InstancePools")).hasSize(3);
      assertConfigLevelFieldsKept(baselineConfig, promoted);
      r.assertInvariants();
    }
  }

  @Test
  void prefixAwareRoutingIsKeptOnTheCanaryAndThePromotedVariant() {
    try (Rehearsal r = Rehearsal.of("prefix-aware-routing.json", s -> { })) {
      LocalRuntime rt = r.runtime();
      JsonNode baselineConfig = describeConfig(rt, rt.sageMaker().requireEndpoint(Rehearsal.ENDPOINT).configName());
      JsonNode routing = variant(baselineConfig, "AllTraffic").path("RoutingConfig");
      r.runUntilState("Bake under alarms");
      JsonNode canaryConfig = describeConfig(rt, rt.sageMaker().requireEndpoint(Rehearsal.ENDPOINT).configName());
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      JsonNode promoted = describeConfig(rt, rt.sageMaker().requireEndpoint(Rehearsal.ENDPOINT).configName());
      assertThat(routing.path("RoutingStrategy").asText()).isEqualTo("PREFIX_AWARE");
      for (JsonNode v : canaryConfig.path("ProductionVariants")) {
        assertThat(v.path("RoutingConfig")).as("variant %s of the canary config", v.path("VariantName"))
            .isEqualTo(routing);
      }
      assertThat(variant(promoted, "AllTraffic").path("RoutingConfig")).isEqualTo(routing);
      assertConfigLevelFieldsKept(baselineConfig, promoted);
      r.assertInvariants();
    }
  }

  /**
   * Config-level members: the promoted config has the baseline's, plus enhanced metrics (the
   * profile asks for them) and detailed observability written with the baseline's effective
   * value (its config predates the field: off).
   */
  static void assertConfigLevelFieldsKept(JsonNode baseline, JsonNode promoted) {
    Set<String> own = Set.of("EndpointConfigName", "EndpointConfigArn", "CreationTime",
        "ProductionVariants", "MetricsConfig");
    assertThat(fieldsBut(promoted, own)).isEqualTo(fieldsBut(baseline, own));
    assertThat(baseline.has("MetricsConfig")).isFalse();
    assertThat(promoted.path("MetricsConfig").path("EnableDetailedObservability").isBoolean()).isTrue();
    assertThat(promoted.path("MetricsConfig").path("EnableDetailedObservability").asBoolean()).isFalse();
  }

  /** The same JSON with numbers as a fresh parse reads them (a float weight and a double compare equal). */
  static JsonNode normalized(JsonNode node) {
    return LocalJson.parse(LocalJson.write(node));
  }

  static JsonNode describeConfig(LocalRuntime rt, String name) {
    return rt.sageMaker().invoke("DescribeEndpointConfig",
        LocalJson.object().put("EndpointConfigName", name));
  }

  static JsonNode variant(JsonNode config, String name) {
    for (JsonNode v : config.path("ProductionVariants")) {
      if (v.path("VariantName").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no variant " + name + " in " + config.path("EndpointConfigName"));
  }

  static String baselineModelName(LocalRuntime rt) {
    String config = rt.sageMaker().requireEndpoint(Rehearsal.ENDPOINT).configName();
    return rt.sageMaker().invoke("DescribeEndpointConfig",
        LocalJson.object().put("EndpointConfigName", config))
        .path("ProductionVariants").get(0).path("ModelName").asText();
  }

  static JsonNode describeModel(LocalRuntime rt, String name) {
    return rt.sageMaker().invoke("DescribeModel", LocalJson.object().put("ModelName", name));
  }

  /** The object's members except {@code but}. */
  static ObjectNode fieldsBut(JsonNode node, Set<String> but) {
    ObjectNode out = ((ObjectNode) node).deepCopy();
    out.remove(but);
    return out;
  }
}
