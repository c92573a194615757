package dev.poolshift.workflow;

import static dev.poolshift.workflow.CarryOverScenarioTest.describeConfig;
import static dev.poolshift.workflow.CarryOverScenarioTest.describeModel;
import static dev.poolshift.workflow.CarryOverScenarioTest.fieldsBut;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped inference-component scenario: the component, its models and the endpoint config
 * read back from SageMaker after the rollout and compared field by field with the baseline's.
 */
class InferenceComponentScenarioTest {
  static final String ENDPOINT = "churn-ic-prod";
  static final String COMPONENT = "churn-ic";
  static final String V2 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/churn-ic/2";
  /** DescribeInferenceComponent members a rollout changes by design. */
  static final Set<String> COMPONENT_OWN = Set.of("Specification", "Specifications",
      "LastDeploymentConfig", "LastModifiedTime", "RuntimeConfig");

  static final Set<String> MODEL_OWN = Set.of("ModelName", "ModelArn", "CreationTime",
      "PrimaryContainer", "ExecutionRoleArn");

  static JsonNode describeComponent(LocalRuntime rt) {
    return rt.sageMaker().invoke("DescribeInferenceComponent",
        LocalJson.object().put("InferenceComponentName", COMPONENT));
  }

  @Test
  void theComponentRunsTheNewVersionOnEveryPoolTypeWithItsComputeKeptAndTheConfigUntouched() {
    try (Rehearsal r = Rehearsal.of("inference-component.json", s -> { })) {
      LocalRuntime rt = r.runtime();
      String configBefore = rt.sageMaker().requireEndpoint(ENDPOINT).configName();
      JsonNode config = describeConfig(rt, configBefore);
      JsonNode baseline = describeComponent(rt);
      JsonNode baselineSpec = baseline.path("Specification");
      JsonNode baselineModel = describeModel(rt, baselineSpec.path("ModelName").asText());
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      JsonNode after = describeComponent(rt);
      assertThat(fieldsBut(after, COMPONENT_OWN)).as("every other member, as it was")
          .isEqualTo(fieldsBut(baseline, COMPONENT_OWN));
      assertThat(after.path("InferenceComponentStatus").asText()).isEqualTo("InService");
      assertThat(after.has("Specification")).as("one entry per type instead").isFalse();
      JsonNode specs = after.path("Specifications");
      assertThat(specs).hasSize(2);
      assertThat(specs.get(0).path("InstanceType").asText()).isEqualTo("ml.g5.2xlarge");
      assertThat(specs.get(1).path("InstanceType").asText()).isEqualTo("ml.g6.2xlarge");
      for (JsonNode spec : specs) {
        assertThat(fieldsBut(spec, Set.of("InstanceType", "ModelName")))
            .as("the baseline's compute and every other member, on %s", spec.path("InstanceType"))
            .isEqualTo(fieldsBut(baselineSpec, Set.of("ModelName")));
        JsonNode model = describeModel(rt, spec.path("ModelName").asText());
        assertThat(model.path("PrimaryContainer").path("ModelPackageName").asText()).isEqualTo(V2);
        assertThat(fieldsBut(model, MODEL_OWN)).as("model %s beside its name, role and package",
            spec.path("ModelName")).isEqualTo(fieldsBut(baselineModel, MODEL_OWN));
        assertThat(model.path("ExecutionRoleArn").asText()).as("the profile's role")
            .endsWith(":role/sagemaker-fraud-scoring-execution");
      }
      assertThat(describeModel(rt, specs.get(1).path("ModelName").asText())
          .path("PrimaryContainer").path("InferenceSpecificationName").asText())
          .as("g6 runs the int8 build").isEqualTo("g6-int8");
      JsonNode rolling = after.path("LastDeploymentConfig").path("RollingUpdatePolicy");
      assertThat(rolling.path("MaximumBatchSize").path("Type").asText()).isEqualTo("CAPACITY_PERCENT");
      assertThat(rolling.path("MaximumBatchSize").path("Value").asInt()).isEqualTo(25);
      assertThat(rolling.path("WaitIntervalInSeconds").asInt()).isEqualTo(300);
      assertThat(after.path("LastDeploymentConfig").path("AutoRollbackConfiguration")
          .path("Alarms")).extracting(a -> a.path("AlarmName").asText())
          .containsExactly("poolshift-churn-ic-prod-churn-ic-5xx-rate",
              "poolshift-churn-ic-prod-churn-ic-5xx-rate-g5-2xlarge",
              "poolshift-churn-ic-prod-churn-ic-5xx-rate-g6-2xlarge");

      assertThat(rt.sageMaker().requireEndpoint(ENDPOINT).configName()).isEqualTo(configBefore);
      assertThat(describeConfig(rt, configBefore)).isEqualTo(config);
      List<String> operations = rt.sageMaker().mutations().stream()
          .filter(SageMakerMutation::accepted).map(SageMakerMutation::operation).toList();
      assertThat(operations).containsExactly("CreateModel", "CreateModel",
          "UpdateInferenceComponent");
      r.assertInvariants();
    }
  }

  @Test
  void aBadVersionIsRolledBackAndEveryCopyRunsTheBaselineSpecificationAgain() {
    try (Rehearsal r = Rehearsal.of("inference-component-bad-model.json", s -> { })) {
      LocalRuntime rt = r.runtime();
      String configBefore = rt.sageMaker().requireEndpoint(ENDPOINT).configName();
      JsonNode config = describeConfig(rt, configBefore);
      JsonNode baseline = describeComponent(rt);
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(execution.path("cause").asText())
          .contains("alarm poolshift-churn-ic-prod-churn-ic-5xx-rate");
      JsonNode after = describeComponent(rt);
      Set<String> own = Set.of("LastDeploymentConfig", "LastModifiedTime", "FailureReason");
      assertThat(fieldsBut(after, own)).as("the component as it was, every copy on v1")
          .isEqualTo(fieldsBut(baseline, own));
      assertThat(after.path("RuntimeConfig").path("CurrentCopyCount").asInt())
          .isEqualTo(baseline.path("RuntimeConfig").path("DesiredCopyCount").asInt());
      List<String> operations = rt.sageMaker().mutations().stream()
          .filter(SageMakerMutation::accepted).map(SageMakerMutation::operation).toList();
      assertThat(operations).as("SageMaker's auto-rollback put it back; v2's models go")
          .containsExactly("CreateModel", "CreateModel", "UpdateInferenceComponent",
              "DeleteModel", "DeleteModel");
      assertThat(describeConfig(rt, configBefore)).isEqualTo(config);
      r.assertInvariants();
    }
  }
}
