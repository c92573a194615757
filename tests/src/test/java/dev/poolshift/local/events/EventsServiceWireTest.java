package dev.poolshift.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.LocalClients;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.LambdaService;
import dev.poolshift.local.lambda.LambdaSettings;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.template.SamTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;

/** The EventBridge API as the real SDK client sees it through the gateway. */
class EventsServiceWireTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("tests/src/test/resources/template/events.yaml"));

  private final Instant t0 = Simulation.DEFAULT_EPOCH;
  private final Simulation sim = Simulation.discrete(t0);
  private final EventBus bus = EventBus.fromTemplate(sim, TEMPLATE,
      LambdaService.fromTemplate(sim, TEMPLATE, LambdaSettings.DEFAULT), (arn, input) -> arn + ":exec",
      EventBusSettings.DEFAULT);
  private final Gateway gateway = Gateway.start(0);
  private final EventBridgeClient client;

  EventsServiceWireTest() {
    gateway.register(new EventsService(bus));
    client = LocalClients.against(EventBridgeClient.builder(), gateway.endpoint());
  }

  @AfterEach
  void close() {
    client.close();
    gateway.close();
    sim.close();
  }

  private static PutEventsRequestEntry entry(String source, String detail) {
    return PutEventsRequestEntry.builder().source(source).detailType("Model Package State Change").detail(detail)
        .build();
  }

  @Test
  void putEventsReturnsAnEventIdPerEntryAndTheEventIsDelivered() {
    PutEventsResponse response = client.putEvents(r -> r.entries(entry("com.acme.registry", "{\"v\":1}")));
    sim.runUntilIdle(t0.plus(Duration.ofMinutes(1)));

    assertThat(response.failedEntryCount()).isZero();
    String id = response.entries().getFirst().eventId();
    assertThat(bus.deliveries()).filteredOn(d -> d.eventId().equals(id) && d.outcome() == Delivery.Outcome.DELIVERED)
        .hasSize(4);
  }

  @Test
  void anAwsSourceIsRefusedPerEntryAndNeverMatched() {
    PutEventsResponse response = client.putEvents(r -> r.entries(
        entry("aws.sagemaker", "{\"ModelApprovalStatus\":\"Approved\"}"),
        entry("com.acme.registry", "{}")));
    sim.runUntilIdle(t0.plus(Duration.ofMinutes(1)));

    assertThat(response.failedEntryCount()).isEqualTo(1);
    assertThat(response.entries().get(0).errorCode()).isEqualTo("NotAuthorizedForSourceException");
    assertThat(response.entries().get(0).errorMessage()).isEqualTo("Not authorized for the source.");
    assertThat(response.entries().get(0).eventId()).isNull();
    assertThat(response.entries().get(1).eventId()).isNotBlank();
    assertThat(bus.events()).extracting(e -> e.event().get("source").asText()).containsExactly("com.acme.registry");
  }

  @Test
  void entriesWithoutDetailOrWithMalformedDetailFail() {
    PutEventsResponse response = client.putEvents(r -> r.entries(
        PutEventsRequestEntry.builder().source("com.acme.registry").detailType("X").build(),
        entry("com.acme.registry", "not json")));

    assertThat(response.failedEntryCount()).isEqualTo(2);
    assertThat(response.entries().get(0).errorCode()).isEqualTo("InvalidArgument");
    assertThat(response.entries().get(0).errorMessage()).contains("Detail is a required argument");
    assertThat(response.entries().get(1).errorMessage()).isEqualTo("Detail is malformed.");
  }

  @Test
  void moreThanTenEntriesIsAValidationError() {
    PutEventsRequestEntry[] entries = new PutEventsRequestEntry[11];
    java.util.Arrays.fill(entries, entry("com.acme.registry", "{}"));

    assertThatThrownBy(() -> client.putEvents(r -> r.entries(entries)))
        .isInstanceOfSatisfying(EventBridgeException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  @Test
  void theEntryTimeBecomesTheEventTime() {
    client.putEvents(r -> r.entries(entry("com.acme.registry", "{}").toBuilder()
        .time(Instant.parse("2026-05-31T23:59:58Z")).build()));

    assertThat(bus.events().getFirst().event().get("time").asText()).isEqualTo("2026-05-31T23:59:58Z");
  }

  @Test
  void testEventPatternUsesTheSameEngine() {
    String event = LocalJson.write(LocalJson.parse("""
        {"id":"1","account":"111122223333","source":"aws.sagemaker","time":"2026-06-01T12:00:00Z",
         "region":"us-east-1","resources":[],"detail-type":"X","detail":{"n":5}}"""));

    assertThat(client.testEventPattern(r -> r.event(event)
        .eventPattern("{\"detail\":{\"n\":[{\"numeric\":[\">\",0,\"<=\",5]}]}}")).result()).isTrue();
    assertThatThrownBy(() -> client.testEventPattern(r -> r.event(event).eventPattern("{\"detail\":{\"n\":[]}}")))
        .isInstanceOfSatisfying(EventBridgeException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidEventPatternException");
          assertThat(e.awsErrorDetails().errorMessage()).startsWith("Event pattern is not valid. Reason: Empty arrays");
        });
  }

  @Test
  void disableRuleThroughTheApiStopsDelivery() {
    client.disableRule(r -> r.name("poolshift-Audit"));
    PutEventsResponse response = client.putEvents(r -> r.entries(entry("com.acme.registry", "{}")));
    sim.runUntilIdle(t0.plus(Duration.ofMinutes(1)));

    assertThat(client.describeRule(r -> r.name("poolshift-Audit")).state()).isEqualTo(RuleState.DISABLED);
    String id = response.entries().getFirst().eventId();
    assertThat(bus.deliveries()).filteredOn(d -> d.eventId().equals(id) && d.ruleName().equals("poolshift-Audit"))
        .extracting(Delivery::outcome).containsOnly(Delivery.Outcome.RULE_DISABLED);
    assertThatThrownBy(() -> client.disableRule(r -> r.name("nope")))
        .isInstanceOfSatisfying(EventBridgeException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException"));
  }
}
