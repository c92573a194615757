package dev.poolshift.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.LocalClients;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.ListRulesResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.RuleState;

/** EventBridge rules through the API: PutRule, paged ListRules, ListTargetsByRule, ListEventBuses. */
class EventsRulesApiTest {
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final EventBus bus = EventBus.builder(sim, AwsContext.DEFAULT).eventBuses(List.of("ops")).build();
  private final Gateway gateway = Gateway.start(0);
  private final EventBridgeClient client;

  EventsRulesApiTest() {
    gateway.register(new EventsService(bus));
    client = LocalClients.against(EventBridgeClient.builder(), gateway.endpoint());
  }

  @AfterEach
  void close() {
    client.close();
    gateway.close();
    sim.close();
  }

  private String putPatternRule(String name) {
    return client.putRule(b -> b.name(name).eventPattern("{\"source\":[\"" + name + "\"]}")).ruleArn();
  }

  @Test
  void aRulePutThroughTheApiMatchesEventsAndCanBeDisabled() {
    String arn = putPatternRule("smoke");
    ObjectNode event = LocalJson.object().put("source", "smoke").put("detail-type", "x");
    event.putObject("detail");

    bus.injectEvent("default", event);
    client.putRule(b -> b.name("smoke").eventPattern("{\"source\":[\"smoke\"]}").state(RuleState.DISABLED));

    assertThat(arn).isEqualTo("arn:aws:events:us-east-1:111122223333:rule/smoke");
    assertThat(bus.events()).last().satisfies(e -> assertThat(e.matchedRules()).hasSize(1));
    assertThat(client.describeRule(b -> b.name("smoke")).state()).isEqualTo(RuleState.DISABLED);
    assertThat(client.listTargetsByRule(b -> b.rule("smoke")).targets()).isEmpty();
  }

  @Test
  void putRuleValidatesAsEventBridgeDoes() {
    assertThatThrownBy(() -> client.putRule(b -> b.name("no pattern")))
        .isInstanceOf(EventBridgeException.class).hasMessageContaining("regular expression");
    assertThatThrownBy(() -> client.putRule(b -> b.name("nothing")))
        .isInstanceOf(EventBridgeException.class).hasMessageContaining("EventPattern or ScheduleExpression");
    assertThatThrownBy(() -> client.putRule(b -> b.name("bad").eventPattern("{\"source\":\"not-a-list\"}")))
        .isInstanceOf(InvalidEventPatternException.class);
    assertThatThrownBy(() -> client.putRule(b -> b.name("cron").scheduleExpression("rate(5 minutes)").eventBusName("ops")))
        .isInstanceOf(EventBridgeException.class).hasMessageContaining("only on the default event bus");
    assertThatThrownBy(() -> client.putRule(b -> b.name("r").eventPattern("{}").eventBusName("nope")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> client.putRule(b -> b.name("when").scheduleExpression("rate(five minutes)")))
        .isInstanceOf(EventBridgeException.class).hasMessageContaining("ScheduleExpression is not valid");
  }

  @Test
  void aScheduledRulePutAfterTheSchedulesStartedFires() {
    bus.startSchedules();
    client.putRule(b -> b.name("tick").scheduleExpression("rate(5 minutes)"));

    sim.advance(Duration.ofMinutes(11));

    assertThat(bus.events()).filteredOn(e -> e.event().path("detail-type").asText().equals("Scheduled Event"))
        .hasSize(2);
  }

  @Test
  void listRulesHonoursLimitAndARuleAddedBetweenPagesRepeatsNothing() {
    for (String name : List.of("b", "d", "f")) {
      putPatternRule(name);
    }
    ListRulesResponse first = client.listRules(b -> b.limit(2));
    putPatternRule("a");
    putPatternRule("e");
    List<String> seen = new ArrayList<>(first.rules().stream().map(Rule::name).toList());
    String token = first.nextToken();
    while (token != null) {
      String t = token;
      ListRulesResponse page = client.listRules(b -> b.limit(2).nextToken(t));
      page.rules().forEach(r -> seen.add(r.name()));
      token = page.nextToken();
    }

    assertThat(first.rules()).hasSize(2);
    assertThat(seen).containsExactly("b", "d", "e", "f");
    assertThatThrownBy(() -> client.listRules(b -> b.limit(101))).isInstanceOf(EventBridgeException.class)
        .hasMessageContaining("less than or equal to 100");
  }

  @Test
  void listEventBusesListsDefaultAndTheStacksBuses() {
    assertThat(client.listEventBuses(b -> { }).eventBuses()).extracting(
        software.amazon.awssdk.services.eventbridge.model.EventBus::name,
        software.amazon.awssdk.services.eventbridge.model.EventBus::arn)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default", "arn:aws:events:us-east-1:111122223333:event-bus/default"),
            org.assertj.core.groups.Tuple.tuple("ops", "arn:aws:events:us-east-1:111122223333:event-bus/ops"));
    assertThat(client.listEventBuses(b -> b.namePrefix("o")).eventBuses()).hasSize(1);
  }

  @Test
  void listTargetsByRuleOfAMissingRuleIsResourceNotFound() {
    assertThatThrownBy(() -> client.listTargetsByRule(b -> b.rule("ghost")))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
