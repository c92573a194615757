package dev.poolshift.rollout.profile;

import dev.poolshift.rollout.FieldError;
import dev.poolshift.rollout.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema shipped for editors and reviewers, and the parser Poolshift runs, must agree:
 * what one accepts the other accepts, and every shape error the schema can express is one the
 * parser reports. (Uniqueness of priorities/types and increasing steps are parser-only.)
 */
class ProfileSchemaTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path SCHEMA = Path.of("functions/src/main/resources/schemas/deployment-profile.schema.json");
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws Exception {
    try (InputStream in = Files.newInputStream(SCHEMA)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  private static final String MINIMAL = """
      {"endpointName": "fraud-scoring-prod",
       "executionRoleArn": "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution",
       "instancePools": [{"instanceType": "ml.g5.2xlarge", "priority": 1}]}
      """;

  private static final String EVERY_FIELD = """
      {"$schema": "x", "description": "all of them", "endpointName": "fraud-scoring-prod",
       "variantName": "AllTraffic",
       "executionRoleArn": "arn:aws:iam::111122223333:role/path/sagemaker-execution",
       "instancePools": [{"instanceType": "ml.g5.2xlarge", "priority": 1},
                         {"instanceType": "ml.p6-b300.48xlarge", "priority": 2, "inferenceSpecificationName": "b300-fp8"}],
       "provisionTimeoutSeconds": 3600, "overrideExistingPools": true, "keepCurrentTypeFirst": false,
       "instanceCount": 4, "canarySteps": [1, 5, 25, 100], "bakeSeconds": 60,
       "minInvocationsPerStep": 1, "maxWaitForInvocationsSeconds": 0,
       "thresholds": {"max5xxRate": 0, "p99LatencyMs": 250}, "gateAlarmNames": ["a", "b"],
       "concurrencyPolicy": "supersede", "queueWaitSeconds": 600, "fallbackPolicy": "fail",
       "enhancedMetrics": false,
       "weightedAutoscaling": {"targetValue": 0.7,
         "maxConcurrencyPerInstance": {"ml.g5.2xlarge": 7, "ml.p6-b300.48xlarge": 40},
         "scaleOutCooldownSeconds": 0, "scaleInCooldownSeconds": 3600}}
      """;

  @ParameterizedTest
  @ValueSource(strings = {"example", "minimal", "every-field"})
  void bothAcceptValidProfiles(String which) throws Exception {
    String json = switch (which) {
      case "example" -> Files.readString(Path.of("events/profiles/fraud-scoring.json"));
      case "minimal" -> MINIMAL;
      default -> EVERY_FIELD;
    };

    assertThat(schemaErrors(json)).isEmpty();
    assertThat(parserErrors(json)).isEmpty();
  }

  /** Each case replaces or adds one top-level field of the minimal profile. */
  @ParameterizedTest
  @ValueSource(strings = {
      "\"skipAlarmCheck\": true",
      "\"endpointName\": \"-bad\"",
      "\"endpointName\": \"" + "abcdefghij" + "abcdefghij" + "abcdefghij" + "abcdefghij" + "abcdefghij" + "abcdefghij" + "abcd\"",
      "\"variantName\": \"a_b\"",
      "\"executionRoleArn\": \"arn:aws:iam::1111:role/x\"",
      "\"instancePools\": []",
      "\"instancePools\": [{\"instanceType\": \"ml.a.b\", \"priority\": 1}, {\"instanceType\": \"ml.c.d\", \"priority\": 2}, {\"instanceType\": \"ml.e.f\", \"priority\": 3}, {\"instanceType\": \"ml.g.h\", \"priority\": 4}, {\"instanceType\": \"ml.i.j\", \"priority\": 5}, {\"instanceType\": \"ml.k.l\", \"priority\": 5}]",
      "\"instancePools\": [{\"instanceType\": \"ml.g5.2xlarge\", \"priority\": 0}]",
      "\"instancePools\": [{\"instanceType\": \"ml.g5.2xlarge\", \"priority\": 6}]",
      "\"instancePools\": [{\"instanceType\": \"g5.2xlarge\", \"priority\": 1}]",
      "\"instancePools\": [{\"instanceType\": \"ml.g5.2xlarge\"}]",
      "\"instancePools\": [{\"instanceType\": \"ml.g5.2xlarge\", \"priority\": 1, \"weight\": 1}]",
      "\"instancePools\": [{\"instanceType\": \"ml.g5.2xlarge\", \"priority\": 1, \"inferenceSpecificationName\": \"a b\"}]",
      "\"provisionTimeoutSeconds\": 299",
      "\"provisionTimeoutSeconds\": 3601",
      "\"provisionTimeoutSeconds\": \"1200\"",
      "\"instanceCount\": 0",
      "\"canarySteps\": [0, 50, 100]",
      "\"canarySteps\": [10, 50, 150]",
      "\"canarySteps\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]",
      "\"bakeSeconds\": 59",
      "\"minInvocationsPerStep\": 0",
      "\"maxWaitForInvocationsSeconds\": -1",
      "\"thresholds\": {\"max5xxRate\": 1.5}",
      "\"thresholds\": {\"p99LatencyMs\": 0}",
      "\"thresholds\": {\"p999\": 1}",
      "\"gateAlarmNames\": [\"a\", \"a\"]",
      "\"gateAlarmNames\": [\"\"]",
      "\"concurrencyPolicy\": \"wait\"",
      "\"fallbackPolicy\": \"maybe\"",
      "\"enhancedMetrics\": \"yes\"",
      "\"description\": 7",
      "\"weightedAutoscaling\": {\"targetValue\": 0, \"maxConcurrencyPerInstance\": {\"ml.g5.2xlarge\": 4}}",
      "\"weightedAutoscaling\": {\"targetValue\": 70, \"maxConcurrencyPerInstance\": {\"ml.g5.2xlarge\": 4}}",
      "\"weightedAutoscaling\": {\"targetValue\": 0.7, \"maxConcurrencyPerInstance\": {}}",
      "\"weightedAutoscaling\": {\"targetValue\": 0.7, \"maxConcurrencyPerInstance\": {\"ml.g5.2xlarge\": 0}}",
      "\"weightedAutoscaling\": {\"targetValue\": 0.7, \"maxConcurrencyPerInstance\": {\"g5.2xlarge\": 4}}",
      "\"weightedAutoscaling\": {\"maxConcurrencyPerInstance\": {\"ml.g5.2xlarge\": 4}}",
      "\"weightedAutoscaling\": {\"targetValue\": 0.7, \"maxConcurrencyPerInstance\": {\"ml.g5.2xlarge\": 4}, \"scaleInCooldownSeconds\": 3601}",
      "\"weightedAutoscaling\": {\"targetValue\": 0.7, \"maxConcurrencyPerInstance\": {\"ml.g5.2xlarge\": 4}, \"weights\": {}}"})
  void bothRejectWhatTheSchemaCanExpress(String field) throws Exception {
    String json = withField(field);

    assertThat(schemaErrors(json)).as("schema errors for %s", field).isNotEmpty();
    assertThat(parserErrors(json)).as("parser errors for %s", field).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"instancePools\": [{\"instanceType\": \"ml.g5.2xlarge\", \"priority\": 1}, {\"instanceType\": \"ml.g6.2xlarge\", \"priority\": 1}]",
      "\"instancePools\": [{\"instanceType\": \"ml.g5.2xlarge\", \"priority\": 1}, {\"instanceType\": \"ml.g5.2xlarge\", \"priority\": 2}]",
      "\"canarySteps\": [10, 5, 100]",
      "\"canarySteps\": [10, 50]",
      "\"weightedAutoscaling\": {\"targetValue\": 0.7, \"maxConcurrencyPerInstance\": {\"ml.g6.2xlarge\": 4}}"})
  void theParserAlsoEnforcesRulesTheSchemaCannotSay(String field) throws Exception {
    String json = withField(field);

    assertThat(schemaErrors(json)).isEmpty();
    assertThat(parserErrors(json)).isNotEmpty();
  }

  @Test
  void everySchemaPropertyIsAFieldTheParserKnows() throws Exception {
    JsonNode properties = MAPPER.readTree(SCHEMA.toFile()).get("properties");
    List<String> unknownToParser = new ArrayList<>();
    for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      @SuppressWarnings("unchecked")
      Map<String, Object> json = MAPPER.readValue(MINIMAL, Map.class);
      json.put(field, null);
      try {
        ProfileParser.parse(json, null);
      } catch (InvalidInputException e) {
        if (e.errors().contains(new FieldError(field, "unknown field"))) {
          unknownToParser.add(field);
        }
      }
    }
    assertThat(properties.size()).isEqualTo(22);
    assertThat(unknownToParser).isEmpty();
  }

  private static String withField(String field) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> json = MAPPER.readValue(MINIMAL, Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> extra = MAPPER.readValue("{" + field + "}", Map.class);
    json.putAll(extra);
    return MAPPER.writeValueAsString(json);
  }

  private static Set<ValidationMessage> schemaErrors(String json) throws Exception {
    return schema.validate(MAPPER.readTree(json));
  }

  private static List<FieldError> parserErrors(String json) throws Exception {
    try {
      ProfileParser.parse(MAPPER.readValue(json, Object.class), null);
      return List.of();
    } catch (InvalidInputException e) {
      return e.errors();
    }
  }
}
