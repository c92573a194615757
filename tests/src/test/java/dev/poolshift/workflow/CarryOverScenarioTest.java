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
