package dev.poolshift.workflow;

import static dev.poolshift.workflow.Rehearsal.ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import org.junit.jupiter.api.Test;

/**
 * Someone else updates the endpoint after the rollout planned from it: the rollout must not go
 * out from a baseline that is no longer there, nor roll "back" onto it.
 */
class StaleBaselineTest {

  @Test
  void anEndpointChangedAfterThePlanIsLeftToItsNewConfigAndTheRolloutRefusedCleanly() {
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> { })) {
      r.runUntilState("Create the models");
      SageMakerWorld sageMaker = r.runtime().sageMaker();
      String baseline = sageMaker.requireEndpoint(ENDPOINT).configName();
      JsonNode described = sageMaker.invoke("DescribeEndpointConfig",
          LocalJson.object().put("EndpointConfigName", baseline));
      ObjectNode theirs = LocalJson.object().put("EndpointConfigName", "someone-elses");
      ArrayNode variants = theirs.putArray("ProductionVariants");
      described.path("ProductionVariants").forEach(v -> variants.add(LocalJson.object()
          .put("VariantName", v.path("VariantName").asText())
          .put("ModelName", v.path("ModelName").asText())
          .put("InstanceType", v.path("InstanceType").asText())
          .put("InitialInstanceCount", v.path("InitialInstanceCount").asInt())
          .put("InitialVariantWeight", 1.0)));
      sageMaker.invoke("CreateEndpointConfig", theirs);
      sageMaker.invoke("UpdateEndpoint", LocalJson.object().put("EndpointName", ENDPOINT)
          .put("EndpointConfigName", "someone-elses"));
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).as("refused, nothing of the endpoint changed")
          .isEqualTo("REJECTED");
      assertThat(execution.path("cause").asText())
          .contains("runs config " + baseline + " (deploying someone-elses) but the plan was made"
              + " from " + baseline);
      assertThat(r.accepted("UpdateEndpoint")).as("the rollout's updates").isEmpty();
      assertThat(r.accepted("UpdateEndpointWeightsAndCapacities")).isEmpty();
    }
  }
}
