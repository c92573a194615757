package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inference components on an endpoint whose pooled variant names no model. */
class SageMakerInferenceComponentsTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/sagemaker-churn-execution";
  private static final String G6E = "ml.g6e.2xlarge";
  private static final String G6 = "ml.g6.2xlarge";

  private final SageMakerFixture f = new SageMakerFixture();

  @BeforeEach
  void endpoint() {
    String v1 = f.world.seedModelPackageVersion("churn-model", "Approved", SageMakerFixture.IMAGE, Map.of());
    f.world.seedModelFromPackage("churn-v1", v1, null);
    f.world.seedModelFromPackage("churn-v1-g6", v1, null);
    f.world.seedModelFromPackage("churn-v2", v1, null);
    f.world.seedModelFromPackage("churn-v2-g6", v1, null);
    ObjectNode config = LocalJson.object().put("EndpointConfigName", "churn-ic-cfg")
        .put("ExecutionRoleArn", ROLE);
    ObjectNode variant = config.putArray("ProductionVariants").addObject().put("VariantName", "primary")
        .put("InitialInstanceCount", 2);
    variant.putArray("InstancePools").addObject().put("InstanceType", G6E).put("Priority", 1);
    ((ArrayNode) variant.get("InstancePools")).addObject().put("InstanceType", G6).put("Priority", 2);
    f.world.seedEndpointConfig(config);
    f.world.seedModelFromPackage("churn-realtime", v1, null);
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("realtime-cfg", "churn-realtime", G6E, 1));
    f.world.seedEndpoint("churn-ic", "churn-ic-cfg");
    f.world.seedEndpoint("churn-realtime", "realtime-cfg");
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static ObjectNode entry(String type, String model, int gpus, int memoryMb) {
    ObjectNode e = LocalJson.object();
    if (type != null) {
      e.put("InstanceType", type);
    }
    e.put("ModelName", model);
    e.putObject("ComputeResourceRequirements").put("NumberOfAcceleratorDevicesRequired", gpus)
        .put("MinMemoryRequiredInMb", memoryMb);
    return e;
  }

  private static ObjectNode create(String name, ObjectNode... entries) {
    ObjectNode req = LocalJson.object().put("InferenceComponentName", name).put("EndpointName", "churn-ic")
        .put("VariantName", "primary");
    ArrayNode list = req.putArray("Specifications");
    for (ObjectNode e : entries) {
      list.add(e);
    }
    req.putObject("RuntimeConfig").put("CopyCount", 3);
    return req;
  }

  private JsonNode describe(String name) {
    return f.ok("DescribeInferenceComponent", LocalJson.object().put("InferenceComponentName", name));
  }

  private void runUntilComponent(String name, String status) {
    Instant limit = f.sim.now().plus(Duration.ofHours(2));
    boolean reached = f.sim.runUntil(() -> status.equals(f.world.invoke("DescribeInferenceComponent",
        LocalJson.object().put("InferenceComponentName", name)).path("InferenceComponentStatus").asText()), limit);
    assertThat(reached).as("%s reached %s", name, status).isTrue();
  }

  private void assertRefused(JsonNode request, String operation, String messagePart) {
    SageMakerFixture.Raw r = f.call(operation, request);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("ValidationException");
    assertThat(r.message()).contains(messagePart);
  }

  @Test
  void aComponentWithPerTypeSpecificationsGoesInServiceAndIsDescribedFieldByField() {
    JsonNode created = f.ok("CreateInferenceComponent", create("churn-ic-v1", entry(G6E, "churn-v1", 1, 8192),
        entry(G6, "churn-v1-g6", 1, 4096)));
    assertThat(created.path("InferenceComponentArn").asText())
        .isEqualTo("arn:aws:sagemaker:us-east-1:111122223333:inference-component/churn-ic-v1");
    assertThat(describe("churn-ic-v1").path("InferenceComponentStatus").asText()).isEqualTo("Creating");

    runUntilComponent("churn-ic-v1", "InService");

    JsonNode d = describe("churn-ic-v1");
    assertThat(d.path("EndpointName").asText()).isEqualTo("churn-ic");
    assertThat(d.path("EndpointArn").asText()).isEqualTo("arn:aws:sagemaker:us-east-1:111122223333:endpoint/churn-ic");
    assertThat(d.path("VariantName").asText()).isEqualTo("primary");
    assertThat(d.has("Specification")).as("created with the list form").isFalse();
    JsonNode specs = d.path("Specifications");
    assertThat(specs).hasSize(2);
    assertThat(specs.get(0).path("InstanceType").asText()).isEqualTo(G6E);
    assertThat(specs.get(0).path("ModelName").asText()).isEqualTo("churn-v1");
    assertThat(specs.get(0).at("/ComputeResourceRequirements/MinMemoryRequiredInMb").asInt()).isEqualTo(8192);
    assertThat(specs.get(1).path("InstanceType").asText()).isEqualTo(G6);
    assertThat(specs.get(1).path("ModelName").asText()).isEqualTo("churn-v1-g6");
    assertThat(specs.get(1).at("/ComputeResourceRequirements/MinMemoryRequiredInMb").asInt()).isEqualTo(4096);
    assertThat(d.at("/RuntimeConfig/DesiredCopyCount").asInt()).isEqualTo(3);
    assertThat(d.at("/RuntimeConfig/CurrentCopyCount").asInt()).isEqualTo(3);
    assertThat(d.at("/RuntimeConfig/PlacementStatus")).singleElement().satisfies(p -> {
      assertThat(p.path("InstanceType").asText()).as("both instances came up on priority 1").isEqualTo(G6E);
      assertThat(p.path("CurrentCopyCount").asInt()).isEqualTo(3);
    });
  }

  @Test
  void specificationsAreRefusedAsTheApiReferenceSays() {
    ObjectNode both = create("both", entry(G6E, "churn-v1", 1, 8192), entry(G6, "churn-v1", 1, 4096));
    both.set("Specification", entry(null, "churn-v1", 1, 8192));
    assertRefused(both, "CreateInferenceComponent", "Exactly one of Specification or Specifications");
    assertRefused(create("gap", entry(G6E, "churn-v1", 1, 8192)), "CreateInferenceComponent",
        "no entry for the variant's instance pool types [" + G6 + "]");
    assertRefused(create("stranger", entry(G6E, "churn-v1", 1, 8192), entry("ml.g5.2xlarge", "churn-v1", 1, 8192)),
        "CreateInferenceComponent", "is not one of the variant's");
    ObjectNode untyped = create("untyped", entry(G6E, "churn-v1", 1, 8192), entry(null, "churn-v1", 1, 4096));
    SageMakerFixture.Raw r = f.call("CreateInferenceComponent", untyped);
    assertThat(r.errorCode()).isEqualTo("ValidationException");
    ObjectNode noVariant = create("no-variant", entry(G6E, "churn-v1", 1, 8192), entry(G6, "churn-v1", 1, 4096));
    noVariant.remove("VariantName");
    assertThat(f.call("CreateInferenceComponent", noVariant).errorCode()).isEqualTo("ValidationException");
    ObjectNode onModelVariant = create("on-model", entry(null, "churn-v1", 1, 8192));
    onModelVariant.put("EndpointName", "churn-realtime");
    assertRefused(onModelVariant, "CreateInferenceComponent", "need a variant without ModelName");
    ObjectNode noMemory = create("no-memory", entry(G6E, "churn-v1", 1, 8192), entry(G6, "churn-v1", 1, 4096));
    ((ObjectNode) noMemory.at("/Specifications/1/ComputeResourceRequirements")).remove("MinMemoryRequiredInMb");
    assertThat(f.call("CreateInferenceComponent", noMemory).errorCode()).isEqualTo("ValidationException");
    assertThat(f.ok("ListInferenceComponents", LocalJson.object()).path("InferenceComponents")).isEmpty();
  }

  @Test
  void aRollingUpdateCarriesTheNewSpecificationsAndRefusesASecondUpdateWhileItRuns() {
    f.ok("CreateInferenceComponent", create("churn-ic-v1", entry(G6E, "churn-v1", 1, 8192),
        entry(G6, "churn-v1-g6", 1, 4096)));
    runUntilComponent("churn-ic-v1", "InService");
    ObjectNode update = LocalJson.object().put("InferenceComponentName", "churn-ic-v1");
    update.putArray("Specifications").add(entry(G6E, "churn-v2", 1, 8192)).add(entry(G6, "churn-v2-g6", 1, 4096));
    ObjectNode rolling = update.putObject("DeploymentConfig").putObject("RollingUpdatePolicy");
    rolling.putObject("MaximumBatchSize").put("Type", "CAPACITY_PERCENT").put("Value", 34);
    rolling.put("WaitIntervalInSeconds", 300);
    update.with("DeploymentConfig").putObject("AutoRollbackConfiguration").putArray("Alarms").addObject()
        .put("AlarmName", "churn-ic-5xx");

    f.ok("UpdateInferenceComponent", update);

    assertThat(describe("churn-ic-v1").path("InferenceComponentStatus").asText()).isEqualTo("Updating");
    assertRefused(update, "UpdateInferenceComponent", "Cannot update in-progress inference component");
    runUntilComponent("churn-ic-v1", "InService");
    JsonNode d = describe("churn-ic-v1");
    assertThat(d.path("Specifications")).extracting(s -> s.path("ModelName").asText())
        .containsExactly("churn-v2", "churn-v2-g6");
    assertThat(d.at("/LastDeploymentConfig/RollingUpdatePolicy/MaximumBatchSize/Value").asInt()).isEqualTo(34);
    assertThat(d.at("/LastDeploymentConfig/AutoRollbackConfiguration/Alarms/0/AlarmName").asText())
        .isEqualTo("churn-ic-5xx");

    rolling.with("MaximumBatchSize").put("Value", 60);
    assertRefused(update, "UpdateInferenceComponent", "between 5% and 50%");
  }

  @Test
  void componentsAreListedByEndpointAndStatusAndDeletedThroughDeleting() {
    f.ok("CreateInferenceComponent", create("churn-ic-a", entry(G6E, "churn-v1", 1, 8192),
        entry(G6, "churn-v1-g6", 1, 4096)));
    runUntilComponent("churn-ic-a", "InService");
    f.ok("CreateInferenceComponent", create("churn-ic-b", entry(null, "churn-v1", 1, 8192)));

    JsonNode creating = f.ok("ListInferenceComponents", LocalJson.object().put("EndpointNameEquals", "churn-ic")
        .put("StatusEquals", "Creating"));
    assertThat(creating.path("InferenceComponents")).extracting(c -> c.path("InferenceComponentName").asText())
        .containsExactly("churn-ic-b");
    JsonNode all = f.ok("ListInferenceComponents", LocalJson.object().put("SortBy", "Name")
        .put("SortOrder", "Ascending"));
    assertThat(all.path("InferenceComponents")).extracting(c -> c.path("InferenceComponentName").asText())
        .containsExactly("churn-ic-a", "churn-ic-b");

    f.ok("DeleteInferenceComponent", LocalJson.object().put("InferenceComponentName", "churn-ic-a"));
    assertThat(describe("churn-ic-a").path("InferenceComponentStatus").asText()).isEqualTo("Deleting");
    f.sim.runUntil(() -> f.world.invoke("ListInferenceComponents", LocalJson.object()
        .put("NameContains", "churn-ic-a")).path("InferenceComponents").isEmpty(),
        f.sim.now().plus(Duration.ofHours(1)));
    assertRefused(LocalJson.object().put("InferenceComponentName", "churn-ic-a"), "DescribeInferenceComponent",
        "Could not find inference component");
  }

  /** Copies running {@code model}, over every view of the component. */
  private int copiesOn(String component, String model) {
    return f.world.componentsOn("churn-ic").stream().filter(v -> v.name().equals(component))
        .mapToInt(v -> v.copiesByType().entrySet().stream()
            .filter(e -> model.equals(v.modelByType().get(e.getKey())))
            .mapToInt(Map.Entry::getValue).sum()).sum();
  }

  private ObjectNode rollingUpdate(int batchPercent, int bakeSeconds) {
    ObjectNode update = LocalJson.object().put("InferenceComponentName", "churn-ic-v1");
    update.putArray("Specifications").add(entry(G6E, "churn-v2", 1, 8192)).add(entry(G6, "churn-v2-g6", 1, 4096));
    ObjectNode rolling = update.putObject("DeploymentConfig").putObject("RollingUpdatePolicy");
    rolling.putObject("MaximumBatchSize").put("Type", "CAPACITY_PERCENT").put("Value", batchPercent);
    rolling.put("WaitIntervalInSeconds", bakeSeconds);
    update.with("DeploymentConfig").putObject("AutoRollbackConfiguration").putArray("Alarms").addObject()
        .put("AlarmName", "churn-ic-5xx");
    return update;
  }

  @Test
  void theNewSpecificationsShareOfCopiesGrowsBatchByBatch() {
    f.ok("CreateInferenceComponent", create("churn-ic-v1", entry(G6E, "churn-v1", 1, 8192),
        entry(G6, "churn-v1-g6", 1, 4096)));
    runUntilComponent("churn-ic-v1", "InService");
    f.world.setAlarmStateSource(a -> "OK");
    Duration start = f.world.timings().modelStart();

    f.ok("UpdateInferenceComponent", rollingUpdate(34, 300));

    assertThat(copiesOn("churn-ic-v1", "churn-v2") + copiesOn("churn-ic-v1", "churn-v2-g6"))
        .as("no copy replaced before the first batch has started").isZero();
    f.sim.runUntil(() -> false, f.sim.now().plus(start).plusSeconds(1));
    int first = copiesOn("churn-ic-v1", "churn-v2") + copiesOn("churn-ic-v1", "churn-v2-g6");
    assertThat(first).as("one batch of 3 copies at 34%").isEqualTo(2);
    assertThat(copiesOn("churn-ic-v1", "churn-v1") + copiesOn("churn-ic-v1", "churn-v1-g6"))
        .as("the rest still on v1").isEqualTo(1);
    assertThat(describe("churn-ic-v1").path("InferenceComponentStatus").asText()).isEqualTo("Updating");
    runUntilComponent("churn-ic-v1", "InService");
    assertThat(copiesOn("churn-ic-v1", "churn-v2") + copiesOn("churn-ic-v1", "churn-v2-g6")).isEqualTo(3);
  }

  @Test
  void anAlarmDuringABakeStartsTheRollbackAtOnceNotWhenTheUpdateWouldHaveEnded() {
    f.ok("CreateInferenceComponent", create("churn-ic-v1", entry(G6E, "churn-v1", 1, 8192),
        entry(G6, "churn-v1-g6", 1, 4096)));
    runUntilComponent("churn-ic-v1", "InService");
    String[] state = {"OK"};
    f.world.setAlarmStateSource(a -> state[0]);
    Duration start = f.world.timings().modelStart();
    f.ok("UpdateInferenceComponent", rollingUpdate(34, 600));
    f.sim.runUntil(() -> false, f.sim.now().plus(start).plusSeconds(60));

    state[0] = "ALARM";
    Instant alarmed = f.sim.now();
    runUntilComponent("churn-ic-v1", "InService");

    Duration back = Duration.between(alarmed, f.sim.now());
    assertThat(back).as("one alarm read, then every replaced copy started again on v1")
        .isLessThanOrEqualTo(start.plus(InferenceComponents.ALARM_READ));
    JsonNode d = describe("churn-ic-v1");
    assertThat(d.path("Specifications")).extracting(s -> s.path("ModelName").asText())
        .containsExactly("churn-v1", "churn-v1-g6");
    assertThat(d.path("FailureReason").asText()).contains("churn-ic-5xx");
    assertThat(copiesOn("churn-ic-v1", "churn-v2") + copiesOn("churn-ic-v1", "churn-v2-g6")).isZero();
  }
}
