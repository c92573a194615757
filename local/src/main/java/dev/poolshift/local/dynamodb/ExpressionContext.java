package dev.poolshift.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code ExpressionAttributeNames} and {@code ExpressionAttributeValues} of one request, shared
 * by all its expressions: which placeholders exist, which the expressions used, and the check
 * DynamoDB makes at the end that every placeholder was used.
 */
final class ExpressionContext {
  private static final Pattern NAME_KEY = Pattern.compile("#[0-9a-zA-Z_]+");
  private static final Pattern VALUE_KEY = Pattern.compile(":[0-9a-zA-Z_]+");
  private static final Set<String> RESERVED = loadReservedWords();

  private final Map<String, String> names;
  private final Map<String, AttrValue> values;
  private final Set<String> unusedNames;
  private final Set<String> unusedValues;

  private ExpressionContext(Map<String, String> names, Map<String, AttrValue> values) {
    this.names = names;
    this.values = values;
    this.unusedNames = new LinkedHashSet<>(names.keySet());
    this.unusedValues = new LinkedHashSet<>(values.keySet());
  }

  /**
   * Reads and checks the request's placeholders as DynamoDB does before it parses any expression:
   * neither map may be empty, keys must be {@code #name} / {@code :name}, values must be valid.
   */
  static ExpressionContext of(JsonNode namesJson, JsonNode valuesJson) {
    Map<String, String> names = new LinkedHashMap<>();
    if (present(namesJson)) {
      if (namesJson.isEmpty()) {
        throw DynamoDbException.validation("ExpressionAttributeNames must not be empty");
      }
      for (Map.Entry<String, JsonNode> e : namesJson.properties()) {
        if (!NAME_KEY.matcher(e.getKey()).matches()) {
          throw DynamoDbException.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \""
              + e.getKey() + "\"");
        }
        names.put(e.getKey(), e.getValue().asText());
      }
    }
    Map<String, AttrValue> values = new LinkedHashMap<>();
    if (present(valuesJson)) {
      if (valuesJson.isEmpty()) {
        throw DynamoDbException.validation("ExpressionAttributeValues must not be empty");
      }
      valuesJson.fieldNames().forEachRemaining(key -> {
        if (!VALUE_KEY.matcher(key).matches()) {
          throw DynamoDbException.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \""
              + key + "\"");
        }
      });
      for (Map.Entry<String, JsonNode> e : valuesJson.properties()) {
        try {
          values.put(e.getKey(), AttributeJson.read(e.getValue()));
        } catch (DynamoDbException invalid) {
          if (!invalid.code().equals("ValidationException")) {
            throw invalid;
          }
          throw DynamoDbException.validation("ExpressionAttributeValues contains invalid value: "
              + invalid.getMessage() + " for key " + e.getKey());
        }
      }
    }
    return new ExpressionContext(names, values);
  }

  static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  /** The attribute name behind {@code #ref}, or null when the request does not define it. */
  String name(String ref) {
    String name = names.get(ref);
    if (name != null) {
      unusedNames.remove(ref);
    }
    return name;
  }

  /** The value behind {@code :ref}, or null when the request does not define it. */
  AttrValue value(String ref) {
    AttrValue value = values.get(ref);
    if (value != null) {
      unusedValues.remove(ref);
    }
    return value;
  }

  /** DynamoDB rejects placeholders that no expression of the request uses. */
  void requireAllUsed() {
    if (!unusedNames.isEmpty()) {
      throw DynamoDbException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
          + String.join(", ", unusedNames) + "}");
    }
    if (!unusedValues.isEmpty()) {
      throw DynamoDbException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
          + String.join(", ", unusedValues) + "}");
    }
  }

  /** Whether {@code word} is one of DynamoDB's reserved words (case-insensitive). */
  static boolean reserved(String word) {
    return RESERVED.contains(word.toUpperCase(Locale.ROOT));
  }

  /** The list published in the Developer Guide ("Reserved words in DynamoDB"), one word a line. */
  private static Set<String> loadReservedWords() {
    try (InputStream in = ExpressionContext.class.getResourceAsStream("reserved-words.txt")) {
      if (in == null) {
        throw new IllegalStateException("reserved-words.txt is missing from the classpath");
      }
      Set<String> words = new java.util.HashSet<>();
      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .map(String::trim).filter(l -> !l.isEmpty()).forEach(words::add);
      return Set.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
