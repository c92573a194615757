package dev.poolshift.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sfn.Execution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalRuntimeTest {
  private final LocalRuntime runtime = LocalRuntime.start(
      LocalRuntime.Options.of(Path.of("tests/src/test/resources/runtime/template.yaml")).withSchedules(false));

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void anEventStartsTheStateMachineWhoseFunctionReadsSageMakerOverTheWire() {
    seedEndpoint("fraud-prod");
    publishInService("fraud-prod");

    assertThat(runtime.runUntilSettled(runtime.simulation().now().plus(Duration.ofHours(1)))).isTrue();

    List<Execution> executions = runtime.stepFunctions().executions();
    assertThat(executions).hasSize(1);
    var snapshot = executions.get(0).snapshot();
    assertThat(snapshot.status().name()).isEqualTo("SUCCEEDED");
    assertThat(LocalJson.parse(snapshot.output()))
        .isEqualTo(LocalJson.parse("{\"status\":\"InService\",\"greeting\":\"hello\",\"configName\":\"fraud-prod-cfg\"}"));
  }

  @Test
  void aFunctionsTypedExceptionReachesTheWorkflowUnderItsFullClassName() {
    publishInService("no-such-endpoint");

    runtime.runUntilSettled(runtime.simulation().now().plus(Duration.ofHours(1)));

    var snapshot = runtime.stepFunctions().executions().get(0).snapshot();
    assertThat(snapshot.status().name()).isEqualTo("SUCCEEDED");
    assertThat(LocalJson.parse(snapshot.output()).path("missing").asText())
        .isEqualTo("Could not find endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/no-such-endpoint\".");
  }

  @Test
  void aWarmContainerServesTheNextInvocationAndSimultaneousOnesGetTheirOwn() {
    seedEndpoint("fraud-prod");
    publishInService("fraud-prod");
    runtime.runUntilSettled(runtime.simulation().now().plus(Duration.ofHours(1)));
    publishInService("fraud-prod");
    runtime.runUntilSettled(runtime.simulation().now().plus(Duration.ofHours(1)));

    assertThat(runtime.lambda().invocations()).hasSize(2);
    assertThat(runtime.lambda().invocations()).filteredOn(i -> i.coldStart()).hasSize(1);

    // Two events at once: the second invocation finds the only container busy, as on Lambda.
    publishInService("fraud-prod");
    publishInService("fraud-prod");
    runtime.runUntilSettled(runtime.simulation().now().plus(Duration.ofHours(1)));

    assertThat(runtime.stepFunctions().executions()).hasSize(4)
        .allSatisfy(e -> assertThat(e.snapshot().status().name()).isEqualTo("SUCCEEDED"));
    assertThat(runtime.lambda().invocations()).filteredOn(i -> i.coldStart()).hasSize(2);
  }

  private void seedEndpoint(String name) {
    var world = runtime.sageMaker();
    String pkg = world.seedModelPackageVersion("fraud", "Approved", "img:1", java.util.Map.of());
    world.seedModelFromPackage(name + "-model", pkg, null);
    world.seedEndpointConfig((ObjectNode) LocalJson.parse("""
        {"EndpointConfigName": "%s-cfg", "ProductionVariants": [{"VariantName": "AllTraffic",
         "ModelName": "%s-model", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}]}
        """.formatted(name, name)));
    world.seedEndpoint(name, name + "-cfg");
  }

  private void publishInService(String endpoint) {
    runtime.events().publish(new ServiceEvent("aws.sagemaker", "SageMaker Endpoint State Change",
        List.of("arn:aws:sagemaker:us-east-1:111122223333:endpoint/" + endpoint),
        LocalJson.parse("{\"EndpointName\":\"" + endpoint + "\",\"EndpointStatus\":\"IN_SERVICE\"}")));
  }
}
