package dev.poolshift.workflow;

import static dev.poolshift.workflow.CarryOverScenarioTest.describeConfig;
import static dev.poolshift.workflow.CarryOverScenarioTest.describeModel;
import static dev.poolshift.workflow.CarryOverScenarioTest.fieldsBut;
import static dev.poolshift.workflow.CarryOverScenarioTest.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import java.time.Duration;
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

  /** What a component put back keeps of its own: the update that ran, when, and why it failed. */
  static final Set<String> PUT_BACK_OWN = Set.of("LastDeploymentConfig", "LastModifiedTime", "FailureReason");

  static final Set<String> MODEL_OWN = Set.of("ModelName", "ModelArn", "CreationTime",
      "PrimaryContainer", "ExecutionRoleArn");

  /** Asserts the rehearsal's only execution was rolled back by the component's 5xx alarm. */
  static void turnedAroundByTheComponentAlarm(Rehearsal r) {
    JsonNode execution = r.onlyExecution();
    assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
    assertThat(execution.path("cause").asText()).contains("alarm poolshift-churn-ic-prod-churn-ic-5xx-rate");
  }

  /**
   * Asserts the endpoint is InService on the config it had before, unchanged, and the component
   * as it was (every copy on v1, on the original fleet), its own bookkeeping aside.
   */
  static void backOnTheOriginalConfigAndFleet(LocalRuntime rt, String configBefore, JsonNode config,
      JsonNode baseline) {
    assertThat(rt.sageMaker().requireEndpoint(ENDPOINT).configName()).isEqualTo(configBefore);
    assertThat(rt.sageMaker().requireEndpoint(ENDPOINT).status()).isEqualTo("InService");
    assertThat(describeConfig(rt, configBefore)).isEqualTo(config);
    JsonNode after = describeComponent(rt);
    assertThat(fieldsBut(after, PUT_BACK_OWN)).as("the component as it was: every copy on v1, on the"
        + " original fleet").isEqualTo(fieldsBut(baseline, PUT_BACK_OWN));
    assertThat(after.path("RuntimeConfig").path("PlacementStatus"))
        .extracting(p -> p.path("InstanceType").asText()).containsExactly("ml.g5.2xlarge");
  }

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
      String notice = rt.sns().published().stream().map(m -> m.message())
          .filter(m -> m.contains("Outcome: PROMOTED")).findFirst().orElseThrow();
      assertThat(notice).as("the way back is on the component; the config never moved")
          .contains("aws sagemaker update-inference-component --inference-component-name "
              + COMPONENT + " --specification '{")
          .doesNotContain(" update-endpoint ");
      r.assertInvariants();
    }
  }

  @Test
  void theInvariantsCatchAComponentWhoseCopiesRunTwoVersionsMidUpdate() {
    try (Rehearsal r = Rehearsal.of("inference-component-bad-model.json", s -> { })) {
      r.runUntil("a component whose copies run two specifications", () -> r.runtime().sageMaker()
          .componentsOn(ENDPOINT).size() > 1, Duration.ofHours(1));

      assertThatThrownBy(() -> WorkflowInvariants.assertComponentsOnOneVersion(r.runtime(), ENDPOINT))
          .isInstanceOf(AssertionError.class).hasMessageContaining("model versions the copies of inference component " + COMPONENT);
      r.runtime().sageMaker().componentsOn(ENDPOINT).forEach(c -> assertThat(c.status()).isEqualTo("Updating"));
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

      turnedAroundByTheComponentAlarm(r);
      JsonNode after = describeComponent(rt);
      assertThat(fieldsBut(after, PUT_BACK_OWN)).as("the component as it was, every copy on v1")
          .isEqualTo(fieldsBut(baseline, PUT_BACK_OWN));
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

  static final String ROLE = "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution";
  /** DescribeEndpointConfig members every new config has of its own. */
  static final Set<String> CONFIG_OWN = Set.of("EndpointConfigName", "EndpointConfigArn",
      "CreationTime", "ProductionVariants");

  static List<String> acceptedOperations(LocalRuntime rt) {
    return rt.sageMaker().mutations().stream().filter(SageMakerMutation::accepted)
        .map(SageMakerMutation::operation).toList();
  }

  @Test
  void aVariantOnOneTypeMovesOntoThePoolsFirstAndThenItsComponentRunsTheNewVersionOnEach() {
    try (Rehearsal r = Rehearsal.of("inference-component-onto-pools.json", s -> { })) {
      LocalRuntime rt = r.runtime();
      String configBefore = rt.sageMaker().requireEndpoint(ENDPOINT).configName();
      JsonNode config = describeConfig(rt, configBefore);
      JsonNode baseline = describeComponent(rt);
      JsonNode baselineSpec = baseline.path("Specification");
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      String configAfter = rt.sageMaker().requireEndpoint(ENDPOINT).configName();
      assertThat(configAfter).isNotEqualTo(configBefore);
      JsonNode pooled = describeConfig(rt, configAfter);
      Set<String> configOwn = new java.util.HashSet<>(CONFIG_OWN);
      configOwn.add("MetricsConfig");
      assertThat(fieldsBut(pooled, configOwn)).as("every config-level member, as it was")
          .isEqualTo(fieldsBut(config, configOwn));
      assertThat(pooled.path("MetricsConfig").path("EnableDetailedObservability").asBoolean(true))
          .as("detailed observability written at its effective value, off").isFalse();
      assertThat(pooled.path("ExecutionRoleArn").asText()).isEqualTo(ROLE);
      assertThat(pooled.path("ProductionVariants")).hasSize(1);
      JsonNode before = variant(config, "AllTraffic");
      JsonNode after = variant(pooled, "AllTraffic");
      assertThat(after.has("ModelName")).as("the components carry the models").isFalse();
      assertThat(after.has("InstanceType")).as("the pools instead").isFalse();
      assertThat(after.path("InstancePools")).extracting(p -> p.path("Priority").asInt() + ":"
          + p.path("InstanceType").asText())
          .containsExactly("1:ml.g5.2xlarge", "2:ml.g6.2xlarge");
      Set<String> pooledOwn = Set.of("InstanceType", "InstancePools", "RoutingConfig",
          "VariantInstanceProvisionTimeoutInSeconds", "InitialVariantWeight");
      assertThat(fieldsBut(after, pooledOwn)).as("every other variant member, as it was")
          .isEqualTo(fieldsBut(before, pooledOwn));
      assertThat(after.path("InitialVariantWeight").asDouble())
          .isEqualTo(before.path("InitialVariantWeight").asDouble());
      assertThat(rt.sageMaker().requireEndpoint(ENDPOINT).status()).isEqualTo("InService");

      JsonNode component = describeComponent(rt);
      assertThat(fieldsBut(component, COMPONENT_OWN)).as("every other member, as it was")
          .isEqualTo(fieldsBut(baseline, COMPONENT_OWN));
      JsonNode specs = component.path("Specifications");
      assertThat(specs).extracting(e -> e.path("InstanceType").asText())
          .containsExactly("ml.g5.2xlarge", "ml.g6.2xlarge");
      for (JsonNode spec : specs) {
        assertThat(fieldsBut(spec, Set.of("InstanceType", "ModelName")))
            .as("the baseline's compute on %s", spec.path("InstanceType"))
            .isEqualTo(fieldsBut(baselineSpec, Set.of("ModelName")));
        assertThat(describeModel(rt, spec.path("ModelName").asText()).path("PrimaryContainer")
            .path("ModelPackageName").asText()).isEqualTo(V2);
      }
      assertThat(component.path("RuntimeConfig").path("CurrentCopyCount").asInt())
          .isEqualTo(baseline.path("RuntimeConfig").path("DesiredCopyCount").asInt());
      assertThat(acceptedOperations(rt)).as("the move, then the component's update")
          .containsExactly("CreateModel", "CreateModel", "CreateEndpointConfig",
              "UpdateEndpoint", "UpdateInferenceComponent");

      String notice = rt.sns().published().stream().map(m -> m.message())
          .filter(m -> m.contains("Outcome: PROMOTED")).findFirst().orElseThrow();
      String update = notice.lines().filter(l -> l.contains("update-inference-component"))
          .findFirst().orElseThrow();
      assertThat(update).contains("--inference-component-name " + COMPONENT);
      String wayBack = update.substring(update.indexOf("--specification '") + 17);
      wayBack = wayBack.substring(0, wayBack.indexOf('\''));
      assertThat(LocalJson.parse(wayBack)).as("the way back: the specification the component ran")
          .isEqualTo(baselineSpec);
      String endpointBack = notice.lines().filter(l -> l.contains(" update-endpoint "))
          .findFirst().orElseThrow();
      assertThat(endpointBack).as("then the endpoint, after the components")
          .contains("--endpoint-name " + ENDPOINT + " --endpoint-config-name " + configBefore);
      assertThat(notice.indexOf("update-inference-component"))
          .isLessThan(notice.indexOf(" update-endpoint "));
      assertThat(describeModel(rt, baselineSpec.path("ModelName").asText())
          .path("ModelName").asText()).as("the previous model is kept for it")
          .isEqualTo(baselineSpec.path("ModelName").asText());
      assertThat(describeConfig(rt, configBefore)).as("and the previous config").isEqualTo(config);
      r.assertInvariants();
    }
  }

  @Test
  void aBadVersionAfterTheMovePutsTheComponentBackAndThenTheEndpointOnItsOriginalConfig() {
    try (Rehearsal r = Rehearsal.of("inference-component-onto-pools-bad-model.json", s -> { })) {
      LocalRuntime rt = r.runtime();
      String configBefore = rt.sageMaker().requireEndpoint(ENDPOINT).configName();
      JsonNode config = describeConfig(rt, configBefore);
      JsonNode baseline = describeComponent(rt);
      r.finish();

      turnedAroundByTheComponentAlarm(r);
      backOnTheOriginalConfigAndFleet(rt, configBefore, config, baseline);
      assertThat(acceptedOperations(rt)).as("moved, updated, rolled back by SageMaker, moved"
          + " back; the pooled config and v2's models go")
          .containsExactly("CreateModel", "CreateModel", "CreateEndpointConfig",
              "UpdateEndpoint", "UpdateInferenceComponent", "UpdateEndpoint",
              "DeleteEndpointConfig", "DeleteModel", "DeleteModel");
      r.assertInvariants();
    }
  }

  @Test
  void aConsoleRollbackAfterTheMovePutsTheComponentBackAndThenTheEndpointOnItsOriginalConfig() {
    try (Rehearsal r = Rehearsal.of("inference-component-console-rollback.json", s -> { })) {
      LocalRuntime rt = r.runtime();
      String configBefore = rt.sageMaker().requireEndpoint(ENDPOINT).configName();
      JsonNode config = describeConfig(rt, configBefore);
      JsonNode baseline = describeComponent(rt);
      r.finish();

      JsonNode rollout = ConsoleActionsTest.executionOf(r, "churn-ic-v2");
      JsonNode rollback = ConsoleActionsTest.executionOf(r, "rollback-churn-ic-prod");
      assertThat(rollout.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(rollback.path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(rollback.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      backOnTheOriginalConfigAndFleet(rt, configBefore, config, baseline);
      assertThat(acceptedOperations(rt)).as("the rollout; then the component back before the"
          + " endpoint, nothing created or deleted")
          .containsExactly("CreateModel", "CreateModel", "CreateEndpointConfig",
              "UpdateEndpoint", "UpdateInferenceComponent", "UpdateInferenceComponent",
              "UpdateEndpoint");
      r.assertInvariants();
    }
  }
}
