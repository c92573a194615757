package dev.poolshift.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The request-shape checks DynamoDB makes before anything else, reported together as it does:
 * {@code 2 validation errors detected: Value 'X' at 'returnValues' failed to satisfy constraint:
 * Member must satisfy enum value set: [...]; Value ...}.
 */
final class Constraints {
  private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

  private final List<String> errors = new ArrayList<>();

  /** {@code member} is the wire name with a lower-case first letter, as DynamoDB quotes it. */
  Constraints fail(String member, JsonNode value, String constraint) {
    String shown = value == null || value.isNull() || value.isMissingNode() ? "null"
        : "'" + (value.isTextual() ? value.asText() : value.toString()) + "'";
    errors.add("Value " + shown + " at '" + member + "' failed to satisfy constraint: " + constraint);
    return this;
  }

  /** A constraint on a member whose value DynamoDB does not quote (lists, maps). */
  Constraints failUnquoted(String member, String constraint) {
    errors.add("Value at '" + member + "' failed to satisfy constraint: " + constraint);
    return this;
  }

  Constraints required(String member, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      fail(member, null, "Member must not be null");
    }
    return this;
  }

  Constraints oneOf(String member, JsonNode value, String... allowed) {
    if (value != null && !value.isNull() && !value.isMissingNode() && !List.of(allowed).contains(value.asText())) {
      fail(member, value, "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
    }
    return this;
  }

  /**
   * A table name: required, non-empty, and unless it is a table ARN, 3 to 255 of
   * {@code [a-zA-Z0-9_.-]}.
   */
  Constraints tableName(String member, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return fail(member, null, "Member must not be null");
    }
    String name = value.asText();
    if (name.isEmpty()) {
      return fail(member, value, "Member must have length greater than or equal to 1");
    }
    if (name.startsWith("arn:")) {
      if (name.length() > 1024) {
        fail(member, value, "Member must have length less than or equal to 1024");
      }
      return this;
    }
    if (name.length() < 3) {
      fail(member, value, "Member must have length greater than or equal to 3");
    }
    if (name.length() > 255) {
      fail(member, value, "Member must have length less than or equal to 255");
    }
    if (!TABLE_NAME.matcher(name).matches()) {
      fail(member, value, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    return this;
  }

  Constraints atLeast(String member, JsonNode value, long min) {
    if (value != null && value.isNumber() && value.asLong() < min) {
      fail(member, value, "Member must have value greater than or equal to " + min);
    }
    return this;
  }

  Constraints atMost(String member, JsonNode value, long max) {
    if (value != null && value.isNumber() && value.asLong() > max) {
      fail(member, value, "Member must have value less than or equal to " + max);
    }
    return this;
  }

  void check() {
    if (!errors.isEmpty()) {
      throw DynamoDbException.validation(errors.size() + " validation error" + (errors.size() == 1 ? "" : "s")
          + " detected: " + String.join("; ", errors));
    }
  }
}
