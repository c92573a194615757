package dev.poolshift.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * EventBridge pattern-matching examples (what matches, what does not, plus a few edge cases),
 * run through the real path: each pattern is an {@code AWS::Events::Rule} of a
 * generated template, loaded by the template loader, compiled by the bus, and an event either
 * reaches the rule's target (an SQS queue) or not. Invalid patterns must stop the bus from loading
 * with an error naming the rule.
 */
class EventPatternConformanceTest {
  private static final Path EXAMPLES = Path.of("tests/src/test/resources/events-conformance/patterns.json");
  private static Path dir;
  private static Simulation sim;
  private static EventBus bus;

  static Stream<Arguments> matching() {
    return examples().stream().filter(e -> !e.get("expected").asText().equals("invalid"))
        .map(e -> Arguments.of(e.get("id").asText(), e));
  }

  static Stream<Arguments> invalid() {
    return examples().stream().filter(e -> e.get("expected").asText().equals("invalid"))
        .map(e -> Arguments.of(e.get("id").asText(), e));
  }

  private static List<JsonNode> examples() {
    List<JsonNode> out = new ArrayList<>();
    LocalJson.read(EXAMPLES).forEach(out::add);
    return out;
  }

  private static String ruleId(String exampleId) {
    return "Rule" + exampleId;
  }

  private static String template(List<JsonNode> examples) {
    StringBuilder yaml = new StringBuilder("""
        Resources:
          Sink:
            Type: AWS::SQS::Queue
        """);
    for (JsonNode e : examples) {
      yaml.append("  ").append(ruleId(e.get("id").asText())).append(":\n")
          .append("    Type: AWS::Events::Rule\n")
          .append("    Properties:\n")
          .append("      EventPattern: '").append(e.get("pattern").asText().replace("'", "''")).append("'\n")
          .append("      Targets:\n")
          .append("        - Id: sink\n")
          .append("          Arn: !GetAtt Sink.Arn\n");
    }
    return yaml.toString();
  }

  private static EventBus load(Path file) {
    SamTemplate t = SamTemplate.load(file);
    return EventBus.fromTemplate(sim, t, null, StateMachineStarter.NONE, EventBusSettings.DEFAULT);
  }

  @BeforeAll
  static void loadAllValidPatternsIntoOneBus() throws IOException {
    dir = Files.createTempDirectory("conformance");
    sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
    Path file = dir.resolve("all.yaml");
    Files.writeString(file, template(matching().map(a -> (JsonNode) a.get()[1]).toList()));
    bus = load(file);
  }

  @AfterAll
  static void close() {
    sim.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matching")
  void patternMatchesOrNotAsEventBridgeDoes(String id, JsonNode example) {
    ObjectNode event = LocalJson.object();
    event.put("version", "0");
    event.put("detail-type", "Conformance Test");
    event.put("source", "conformance.test");
    event.put("account", "111122223333");
    event.put("time", "2026-06-01T12:00:00Z");
    event.put("region", "us-east-1");
    event.putArray("resources");
    event.putObject("detail");
    example.path("omit").forEach(f -> event.remove(f.asText()));
    LocalJson.parse(example.get("event").asText()).properties().forEach(f -> event.set(f.getKey(), f.getValue()));

    String eventId = bus.injectEvent("default", event);
    sim.runUntilIdle(sim.now().plus(Duration.ofMinutes(1)));

    boolean delivered = bus.targetMessages().stream()
        .anyMatch(m -> m.eventId().equals(eventId) && m.ruleName().equals("poolshift-" + ruleId(id)));
    assertThat(delivered).as("%s: pattern %s, event %s", id, example.get("pattern").asText(), event)
        .isEqualTo(example.get("expected").asText().equals("match"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidPatternStopsTheBusFromLoadingAndNamesTheRule(String id, JsonNode example) {
    Path file = dir.resolve(id + ".yaml");
    try {
      Files.writeString(file, template(List.of(example)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    assertThatThrownBy(() -> load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rule " + ruleId(id))
        .hasMessageContaining("Event pattern is not valid. Reason: ")
        .hasMessageContaining(example.get("reason").asText());
  }
}
