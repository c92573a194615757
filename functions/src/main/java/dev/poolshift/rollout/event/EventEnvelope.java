package dev.poolshift.rollout.event;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.JsonFields;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * An EventBridge event: the envelope fields the handlers use and the {@code detail}, still as
 * parsed JSON, for the per-source record to read. The envelope's {@code time} is the handlers'
 * clock (never a clock read: the local runtime runs on virtual time).
 */
public record EventEnvelope(
    String id,
    String detailType,
    String source,
    String account,
    String region,
    Instant time,
    List<String> resources,
    Map<?, ?> detail) {

  /** @throws InvalidInputException naming every missing or malformed envelope field */
  public static EventEnvelope parse(Object json) {
    if (!(json instanceof Map<?, ?> root)) {
      throw new InvalidInputException("EventBridge event", "(root)",
          "must be a JSON object (got " + JsonFields.typeName(json) + ")");
    }
    FieldErrors errors = new FieldErrors();
    JsonFields f = new JsonFields(root, "", errors);
    String id = f.string("id", true);
    String detailType = f.string("detail-type", true);
    String source = f.string("source", true);
    String account = f.string("account", true);
    String region = f.string("region", true);
    String rawTime = f.string("time", true);
    Instant time = null;
    if (rawTime != null) {
      try {
        time = Instant.parse(rawTime);
      } catch (DateTimeParseException e) {
        errors.add("time", "must be an ISO-8601 instant (got " + rawTime + ")");
      }
    }
    List<String> resources = List.of();
    List<?> rawResources = f.list("resources", false);
    if (rawResources != null) {
      resources = rawResources.stream().map(String::valueOf).toList();
    }
    f.object("detail", true);
    errors.throwIfAny("EventBridge event");
    return new EventEnvelope(id, detailType, source, account, region, time, resources,
        (Map<?, ?>) root.get("detail"));
  }

  /**
   * An envelope whose fields were already read by someone else (the Lambda runtime, into the
   * events library's type): the same checks as {@link #parse}, under the same field names, for
   * what that reading cannot guarantee (a field left out comes in as null).
   *
   * @throws InvalidInputException naming every missing envelope field
   */
  public static EventEnvelope of(String id, String detailType, String source, String account,
      String region, Instant time, List<String> resources, Map<?, ?> detail) {
    FieldErrors errors = new FieldErrors();
    requirePresent(errors, "id", id);
    requirePresent(errors, "detail-type", detailType);
    requirePresent(errors, "source", source);
    requirePresent(errors, "account", account);
    requirePresent(errors, "region", region);
    if (time == null) {
      errors.add("time", "required");
    }
    if (detail == null) {
      errors.add("detail", "required");
    }
    errors.throwIfAny("EventBridge event");
    return new EventEnvelope(id, detailType, source, account, region, time,
        resources == null ? List.of() : List.copyOf(resources), detail);
  }

  private static void requirePresent(FieldErrors errors, String field, String value) {
    if (value == null) {
      errors.add(field, "required");
    }
  }

  /** Reads the detail; problems are named {@code detail.<field>}. */
  JsonFields detailFields(FieldErrors errors) {
    return new JsonFields(detail, "detail", errors);
  }

  /** Requires this event's {@code detail-type}; anything else reached the wrong function. */
  void requireType(String expected) {
    if (!expected.equals(detailType)) {
      throw new InvalidInputException("EventBridge event " + id, "detail-type",
          "must be \"" + expected + "\" for this function (got \"" + detailType + "\")");
    }
  }
}
