package dev.poolshift.workflow;

import static dev.poolshift.workflow.CarryOverScenarioTest.assertConfigLevelFieldsKept;
import static dev.poolshift.workflow.CarryOverScenarioTest.describeConfig;
import static dev.poolshift.workflow.CarryOverScenarioTest.describeModel;
import static dev.poolshift.workflow.CarryOverScenarioTest.fieldsBut;
import static dev.poolshift.workflow.CarryOverScenarioTest.variant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import dev.poolshift.rollout.endpoint.Release;
import dev.poolshift.rollout.endpoint.ResourceNames;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code events/scenarios/non-registry-migrate.json}: a migrate of an endpoint whose model was
 * created from an image and model data, not from the Model Registry. The model the canary runs is
 * read back from SageMaker and compared field by field with the baseline's; the rollback of such
 * a migrate returns the endpoint to its own model and config.
 */
class NonRegistryMigrateTest {
  private static final String SCENARIO = "non-registry-migrate.json";
  private static final String ENDPOINT = "churn-scoring-prod";
  private static final String MODEL = "churn-xgb-2026-05";
  /** DescribeModel members a copy legitimately differs in (the role is the profile's). */
  private static final Set<String> MODEL_OWN = Set.of("ModelName", "ModelArn", "CreationTime",
      "ExecutionRoleArn");

  @Test
  void theCanaryRunsACopyOfTheSameModelOnThePoolsAndIsPromoted() {
    try (Rehearsal r = Rehearsal.of(SCENARIO, s -> { })) {
      LocalRuntime rt = r.runtime();
      String baselineConfigName = rt.sageMaker().requireEndpoint(ENDPOINT).configName();
      JsonNode baselineConfig = describeConfig(rt, baselineConfigName);
      JsonNode baseline = describeModel(rt, MODEL);
      r.runUntilState("Bake under alarms");
      JsonNode canaryConfig = describeConfig(rt, rt.sageMaker().requireEndpoint(ENDPOINT).configName());
      List<String> created = r.accepted("CreateModel").stream().map(SageMakerMutation::resource).toList();

      assertThat(created).as("one copy of the model; no per-pool builds").hasSize(1);
      JsonNode copy = describeModel(rt, created.getFirst());
      assertThat(fieldsBut(copy, MODEL_OWN)).as("every member of the model, its container included")
          .isEqualTo(fieldsBut(baseline, MODEL_OWN));
      assertThat(copy.path("PrimaryContainer").path("Image").asText()).endsWith("/churn-xgb:2.3.1");
      assertThat(copy.path("PrimaryContainer").path("ModelDataUrl").asText())
          .isEqualTo("s3://churn-models-111122223333/xgb/2026-05/model.tar.gz");
      assertThat(copy.path("PrimaryContainer").has("ModelPackageName")).isFalse();
      assertThat(copy.path("ExecutionRoleArn").asText()).as("the profile's role")
          .endsWith(":role/sagemaker-fraud-scoring-execution");

      String canaryName = ResourceNames.canaryVariant(Release.ofModel(MODEL));
      JsonNode canary = variant(canaryConfig, canaryName);
      assertThat(canary.path("ModelName").asText()).isEqualTo(created.getFirst());
      assertThat(canary.path("InstancePools")).extracting(p -> p.path("InstanceType").asText())
          .containsExactly("ml.c7i.4xlarge", "ml.m7i.4xlarge", "ml.c6i.4xlarge");
      assertThat(canary.path("InitialVariantWeight").asDouble()).isZero();
      assertThat(variant(canaryConfig, "AllTraffic").path("ModelName").asText())
          .as("the baseline keeps its own model").isEqualTo(MODEL);
      assertThat(tags(rt, canaryConfig)).containsEntry("poolshift:model", MODEL)
          .doesNotContainKey("poolshift:model-package");

      r.finish();
      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(r.entered("Judge the canary")).as("every canary step judged").isEqualTo(3);
      EndpointView endpoint = rt.sageMaker().requireEndpoint(ENDPOINT);
      JsonNode promoted = describeConfig(rt, endpoint.configName());
      JsonNode allTraffic = variant(promoted, "AllTraffic");
      assertThat(allTraffic.path("ModelName").asText()).isEqualTo(created.getFirst());
      assertThat(allTraffic.path("InstancePools")).hasSize(3);
      assertThat(WorkflowInvariants.modelVersionsServing(endpoint)).as("exactly one model version")
          .containsExactly("model:" + created.getFirst());
      assertConfigLevelFieldsKept(baselineConfig, promoted);
      JsonNode ledger = promotedLedgerRecord(rt);
      assertThat(ledger.path("details").path("M").path("release").path("S").asText()).isEqualTo(MODEL);
      r.assertInvariants();
    }
  }

  @Test
  void aMigrateWhoseCanaryAlarmFiresReturnsToTheOriginalConfigAndModel() {
    String alarm = "poolshift-" + ENDPOINT + "-" + ResourceNames.canaryVariant(Release.ofModel(MODEL))
        + "-5xx-rate";
    try (Rehearsal r = Rehearsal.of(SCENARIO, s -> Rehearsal.at(s, 700, "setAlarmState",
        LocalJson.object().put("alarm", alarm).put("state", "ALARM")
            .put("reason", "the canary's 5xx rate breached on the pools")))) {
      LocalRuntime rt = r.runtime();
      String baselineConfigName = rt.sageMaker().requireEndpoint(ENDPOINT).configName();
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(execution.path("cause").asText()).contains(alarm);
      assertThat(r.entered("Promote onto instance pools")).isZero();
      EndpointView endpoint = rt.sageMaker().requireEndpoint(ENDPOINT);
      assertThat(endpoint.configName()).isEqualTo(baselineConfigName);
      assertThat(endpoint.variants()).extracting(v -> v.name() + "=" + v.currentWeight())
          .containsExactly("AllTraffic=1.0");
      assertThat(WorkflowInvariants.modelVersionsServing(endpoint)).as("exactly one model version")
          .containsExactly("model:" + MODEL);
      String copy = r.accepted("CreateModel").getFirst().resource();
      assertThat(r.accepted("DeleteModel")).extracting(SageMakerMutation::resource)
          .as("the copy is removed; the original model stays").containsExactly(copy);
      assertThat(describeModel(rt, MODEL).path("ModelName").asText()).isEqualTo(MODEL);
      r.assertInvariants();
    }
  }

  private static java.util.Map<String, String> tags(LocalRuntime rt, JsonNode config) {
    JsonNode list = rt.sageMaker().invoke("ListTags",
        LocalJson.object().put("ResourceArn", config.path("EndpointConfigArn").asText())).path("Tags");
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    list.forEach(t -> out.put(t.path("Key").asText(), t.path("Value").asText()));
    return out;
  }

  private static JsonNode promotedLedgerRecord(LocalRuntime rt) {
    for (JsonNode item : WorkflowInvariants.scan(rt, "LedgerTable")) {
      if ("PROMOTED".equals(item.path("outcome").path("S").asText())) {
        return item;
      }
    }
    throw new AssertionError("no PROMOTED record in the ledger");
  }
}
