package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.aws.ServiceEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SageMakerEventsTest {
  private final SageMakerFixture f = new SageMakerFixture();

  @BeforeEach
  void registry() {
    String pkg = f.world.seedModelPackageVersion("churn-model", "Approved", "img:1", Map.of());
    f.world.seedModelFromPackage("churn-v1", pkg, null);
    f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-v1", "churn-v1", "ml.g5.2xlarge", 3));
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void endpointEventsUseUpperSnakeStatusesEpochMillisecondsAndATagMap() {
    f.client.createEndpoint(b -> b.endpointName("MyEndpoint").endpointConfigName("cfg-v1")
        .tags(t -> t.key("app").value("churn"), t -> t.key("deployment-id").value("dep-42")));
    f.runUntilStatus("MyEndpoint", "InService", Duration.ofHours(1));

    List<ServiceEvent> events = f.endpointEvents("MyEndpoint");
    assertThat(events).extracting(e -> e.detail().path("EndpointStatus").asText())
        .containsExactly("CREATING", "IN_SERVICE", "IN_SERVICE");
    ServiceEvent inService = events.get(1);
    assertThat(inService.source()).isEqualTo("aws.sagemaker");
    assertThat(inService.resources()).containsExactly("arn:aws:sagemaker:us-east-1:111122223333:endpoint/myendpoint");
    JsonNode d = inService.detail();
    assertThat(d.path("EndpointName").asText()).isEqualTo("MyEndpoint");
    assertThat(d.path("EndpointConfigName").asText()).isEqualTo("cfg-v1");
    assertThat(d.path("CreationTime").isIntegralNumber()).isTrue();
    assertThat(d.path("CreationTime").asLong()).isEqualTo(SageMakerFixture.T0.toEpochMilli());
    assertThat(d.path("LastModifiedTime").asLong()).isEqualTo(SageMakerFixture.T0.plusSeconds(450).toEpochMilli());
    assertThat(d.has("FailureReason")).isTrue();
    assertThat(d.path("FailureReason").isNull()).isTrue();
    assertThat(d.path("Tags").path("deployment-id").asText()).isEqualTo("dep-42");
    assertThat(d.path("ProductionVariants").get(0).path("DesiredInstanceCount").isFloatingPointNumber()).isTrue();
    assertThat(d.path("ProductionVariants").get(0).path("DesiredInstanceCount").asDouble()).isEqualTo(3.0);
    assertThat(d.path("ProductionVariants").get(0).path("DesiredWeight").asDouble()).isEqualTo(1.0);
    assertThat(events.get(2).detail()).as("the duplicate is the same event").isEqualTo(d);
  }

  @Test
  void theNumberOfCopiesPerStatusIsConfigurable() {
    f.world.setEndpointEventCopies("IN_SERVICE", 1);
    f.world.setEndpointEventCopies("CREATING", 3);

    f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v1"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));

    assertThat(f.endpointEventStatuses("churn-prod")).containsExactly("CREATING", "CREATING", "CREATING", "IN_SERVICE");
  }

  @Test
  void modelPackageEventsCanBeDuplicatedToo() {
    f.world.setModelPackageEventCopies(2);
    String arn = f.world.seedModelPackageVersion("churn-model", "PendingManualApproval", "img:2", Map.of());

    f.client.updateModelPackage(b -> b.modelPackageArn(arn).modelApprovalStatus("Approved"));

    assertThat(f.packageEvents()).hasSize(2).allSatisfy(e -> assertThat(e.resources()).containsExactly(arn));
  }

  @Test
  void theMutationLogRecordsEveryWriteThatReachedTheWireWithItsOutcome() {
    f.sim.advance(Duration.ofSeconds(5));
    f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-v1"));
    f.client.describeEndpoint(b -> b.endpointName("churn-prod"));
    f.call("UpdateEndpoint", dev.poolshift.local.json.LocalJson.object().put("EndpointName", "churn-prod")
        .put("EndpointConfigName", "cfg-v1"));

    assertThat(f.world.mutations()).containsExactly(
        new SageMakerMutation(SageMakerFixture.T0.plusSeconds(5), "CreateEndpoint", "churn-prod", "churn-prod", null),
        new SageMakerMutation(SageMakerFixture.T0.plusSeconds(5), "UpdateEndpoint", "churn-prod", "churn-prod",
            "ValidationException"));
    assertThat(f.world.mutationsJson()).singleElement().satisfies(m -> {
      assertThat(m.path("operation").asText()).isEqualTo("CreateEndpoint");
      assertThat(m.path("time").asText()).isEqualTo("2026-06-01T12:00:05Z");
      assertThat(m.path("outcome").asText()).isEqualTo("OK");
    });
    assertThat(f.world.seedEndpointConfig(SageMakerFixture.singleTypeConfig("cfg-v2", "churn-v1", "ml.g5.2xlarge", 1)))
        .as("seeding is not a call by the system under test").isNotNull();
    assertThat(f.world.mutations()).hasSize(2);
  }
}
