package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The execution input schema shipped for operators and editors, and the parser the first state
 * runs, agree: every console example passes both, and every bad input the parser refuses on its
 * shape the schema refuses too, except the few rules a schema cannot say. Bad inputs that are
 * well-formed (a package that is not Approved, an endpoint that does not exist) pass both and
 * are refused by what the plan step reads.
 */
class ExecutionInputSchemaTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path SCHEMA = Path.of("functions/src/main/resources/schemas/execution-input.schema.json");
  private static final Path BAD = Path.of("tests/src/test/resources/console/bad-inputs");
  /** Rules only the parser knows: unique priorities and types, increasing steps ending at 100. */
  private static final Set<String> PARSER_ONLY = Set.of("05-duplicate-priority", "08-duplicate-instance-type",
      "12-steps-not-increasing", "13-steps-not-ending-at-100");
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = Files.newInputStream(SCHEMA)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  static Stream<Path> examples() throws IOException {
    return Files.list(Path.of("events/console")).filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
  }

  static Stream<Path> badInputs() throws IOException {
    return Files.list(BAD).filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyConsoleExampleIsValidForBoth(Path example) throws IOException {
    JsonNode json = MAPPER.readTree(example.toFile());

    assertThat(schema.validate(json)).isEmpty();
    ExecutionRequest.parse(MAPPER.treeToValue(json, Object.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void theSchemaRefusesWhatTheParserRefusesOnShape(Path file) throws IOException {
    JsonNode input = MAPPER.readTree(file.toFile()).path("input");
    String name = file.getFileName().toString().replace(".json", "");
    boolean parserRefuses = parserRefuses(input);

    if (PARSER_ONLY.contains(name)) {
      assertThat(parserRefuses).isTrue();
      assertThat(schema.validate(input)).as("a rule the schema cannot say").isEmpty();
    } else if (parserRefuses) {
      assertThat(schema.validate(input)).as("schema errors for %s", name).isNotEmpty();
    } else {
      assertThat(schema.validate(input)).as("well-formed, refused by what the plan step reads").isEmpty();
    }
  }

  private static boolean parserRefuses(JsonNode input) {
    try {
      ExecutionRequest.parse(MAPPER.treeToValue(input, Object.class));
      return false;
    } catch (InvalidInputException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
