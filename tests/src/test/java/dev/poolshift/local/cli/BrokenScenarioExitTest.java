package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error in a scenario, or in a file it names, ends {@code run} (and {@code serve}) with exit
 * code 2 and one line on standard error naming the field or file: no stack trace, no hang, within
 * five seconds. The broken scenarios are the happy path with one thing wrong, written under the
 * repository (so its relative paths resolve as a user's would).
 */
class BrokenScenarioExitTest {
  static final Path DIR = Path.of("tests/target/broken-scenarios");
  static final Duration BOUND = Duration.ofSeconds(5);

  record Broken(String name, String text, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> brokenScenarios() {
    return Stream.of(
        raw("not JSON", "{\"name\": ", "invalid JSON"),
        edited("an unknown top-level field", s -> s.put("colour", "blue"), "colour: unknown field"),
        edited("an unknown nested field", s -> endpoint(s).put("instanceTyp", "ml.g5.2xlarge"),
            "world.endpoints[0].instanceTyp: unknown field"),
        edited("a profile file that is missing", s -> profiles(s).put("fraud-scoring", "events/profiles/nope.json"),
            "world.profiles.fraud-scoring: file events/profiles/nope.json not found"),
        edited("a profile file that is not JSON", s -> profiles(s).put("fraud-scoring", DIR.resolve("broken.txt").toString()),
            "world.profiles.fraud-scoring: file " + DIR.resolve("broken.txt") + " is not JSON"),
        edited("a variant on a model package nobody declared", s -> variant(s).put("modelPackage", "churn/1"),
            "world.endpoints[0].variants[0].modelPackage: no model package group churn"),
        edited("an approval of a version that does not exist",
            s -> timeline(s).addObject().put("at", 90).put("approve", "fraud-scoring/7"),
            "timeline[1].approve: group fraud-scoring has versions 1–2, not 7"),
        edited("a console input file that is missing", s -> timeline(s).addObject().put("at", 90)
            .putObject("startExecution").put("input", "events/console/nope.json"),
            "timeline[1].startExecution.input: file events/console/nope.json not found"),
        edited("a template that is missing", s -> s.put("template", "nope.yaml"), "template: file nope.yaml not found"),
        edited("a capacity that is not a number", s -> ((ObjectNode) s.path("capacity").path("ml.g5.2xlarge").get(0))
            .put("available", "lots"), "capacity.ml.g5.2xlarge[0].available: must be an integer"),
        edited("an alarm CloudWatch refuses", s -> ((ObjectNode) s.path("world").path("alarms").get(0)).put("Period", 7),
            "world.alarms[0]: ValidationError: Period must be"),
        edited("a fault on a function the template lacks", s -> timeline(s).addObject().put("at", 90)
            .putObject("fault").put("lambda", "NoSuchFunction").put("throttleNext", 1),
            "timeline[1].fault.lambda: no function NoSuchFunction"),
        edited("an API limit with a negative rate", s -> s.with("world").putObject("sagemakerApiLimits")
            .putObject("DescribeEndpoint").put("ratePerSecond", -1).put("burst", 10),
            "world.sagemakerApiLimits.DescribeEndpoint.ratePerSecond: must be 0.001–1000000.0 (got -1)"),
        edited("an API limit on an operation SageMaker does not have", s -> s.with("world")
            .putObject("sagemakerApiLimits").putObject("DescribeEndpoints").put("ratePerSecond", 5).put("burst", 10),
            "world.sagemakerApiLimits.DescribeEndpoints: unknown SageMaker operation"),
        edited("an API limit preset that does not exist", s -> s.with("world").put("sagemakerApiLimits", "generous"),
            "world.sagemakerApiLimits: must be \"default\" or an object"),
        edited("a stop of an execution that never started", s -> timeline(s).addObject().put("at", 30)
            .putObject("stopExecution").put("name", "never-started"),
            "timeline[1]: stopExecution at 30.0 s"));
  }

  /**
   * The first runtime of a JVM loads its classes and starts DynamoDB Local, seconds that belong to
   * the JVM rather than to the command (a {@code ./poolshift run} pays them once and a class-data
   * archive makes them cheaper): paid here, so the bound below measures what the command does.
   */
  @BeforeAll
  static void warmUp() {
    LocalRuntime.start(LocalRuntime.Options.of(Path.of("template.yaml")).withParameters(java.util.Map.of(
        "SageMakerExecutionRoleArn", "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution"))).close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenScenarios")
  void runExitsWith2AndOneLineNamingTheField(Broken broken) throws IOException {
    Path file = write(broken);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    long start = System.nanoTime();
    int code = Main.run(new String[] {"run", file.toString()}, print(out), print(err));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement(STRING)
        .startsWith("run: ").contains(broken.expected()).doesNotContain("Exception");
    // What ran before the refusal was already streamed; no summary pretends the run ended.
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("state transitions");
    assertThat(took).isLessThan(BOUND);
  }

  @Test
  void aScenarioFileThatDoesNotExistIsOneLineToo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = Main.run(new String[] {"run", DIR.resolve("nope.json").toString()}, print(new ByteArrayOutputStream()),
        print(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement(STRING)
        .contains("no such scenario file");
  }

  @Test
  void serveRefusesABrokenScenarioTheSameWay() throws IOException {
    Path file = write((Broken) brokenScenarios().toList().get(5).get()[0]);
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = Main.run(new String[] {"serve", "--port", "0", file.toString()}, print(new ByteArrayOutputStream()),
        print(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement(STRING)
        .startsWith("serve: ").contains("world.endpoints[0].variants[0].modelPackage");
  }

  /**
   * The JVM ends: a failure while the runtime is up (its HTTP servers and DynamoDB Local's threads
   * running) used to escape {@code main} before {@link System#exit}, and the process stayed.
   */
  @Test
  void theProcessEndsWhenTheWorldRefusesATimelineEntry() throws Exception {
    Broken broken = (Broken) brokenScenarios().toList().getLast().get()[0];
    Path file = write(broken);
    Path errFile = Files.createTempFile("broken-run", ".err");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "run", file.toString());
    try {
      Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(errFile.toFile()).start();
      // A fresh JVM: its start-up, class loading and DynamoDB Local's start come on top of the bound.
      if (!process.waitFor(BOUND.multipliedBy(3).toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("poolshift run did not exit within " + BOUND.multipliedBy(3) + ": " + Files.readString(errFile));
      }

      assertThat(process.exitValue()).isEqualTo(2);
      assertThat(ownLines(Files.readAllLines(errFile))).singleElement(STRING)
          .contains(broken.expected());
    } finally {
      Files.deleteIfExists(errFile);
    }
  }

  /** Standard error without blank lines (and the class-data archive's one-off warning). */
  static List<String> ownLines(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank() && !l.contains("[cds]")).toList();
  }

  // ---------------------------------------------------------------- the broken files

  private static Arguments raw(String name, String text, String expected) {
    return Arguments.of(new Broken(name, text, expected));
  }

  private static Arguments edited(String name, Consumer<ObjectNode> edit, String expected) {
    ObjectNode scenario = (ObjectNode) LocalJson.read(Path.of("events/scenarios/happy-path.json"));
    edit.accept(scenario);
    return Arguments.of(new Broken(name, LocalJson.pretty(scenario), expected));
  }

  private static Path write(Broken broken) throws IOException {
    Files.createDirectories(DIR);
    Files.writeString(DIR.resolve("broken.txt"), "{ \"bakeSeconds\": ");
    Path file = DIR.resolve(broken.name().replaceAll("[^A-Za-z0-9]+", "-") + ".json");
    Files.writeString(file, broken.text());
    return file;
  }

  private static ObjectNode endpoint(ObjectNode s) {
    return (ObjectNode) s.path("world").path("endpoints").get(0);
  }

  private static ObjectNode variant(ObjectNode s) {
    return (ObjectNode) endpoint(s).path("variants").get(0);
  }

  private static ObjectNode profiles(ObjectNode s) {
    return (ObjectNode) s.path("world").path("profiles");
  }

  private static ArrayNode timeline(ObjectNode s) {
    return (ArrayNode) s.path("timeline");
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
