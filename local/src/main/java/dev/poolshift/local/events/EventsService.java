package dev.poolshift.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.template.RuleDef;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The EventBridge API on the gateway (AWS JSON 1.1, {@code X-Amz-Target: AWSEvents.<Operation>},
 * signing name {@code events}): {@code PutEvents}, {@code TestEventPattern}, {@code EnableRule},
 * {@code DisableRule}, {@code DescribeRule}, {@code ListRules}.
 */
public final class EventsService extends JsonProtocolService {
  private static final int MAX_REQUEST_BYTES = 256 * 1024;

  private final EventBus bus;

  public EventsService(EventBus bus) {
    super("1.1");
    this.bus = bus;
  }

  @Override
  public String signingName() {
    return "events";
  }

  @Override
  public String targetPrefix() {
    return "AWSEvents";
  }

  @Override
  protected JsonNode dispatch(String operation, ObjectNode request) {
    return switch (operation) {
      case "PutEvents" -> putEvents(request);
      case "TestEventPattern" -> testEventPattern(request);
      case "EnableRule" -> setEnabled(request, true);
      case "DisableRule" -> setEnabled(request, false);
      case "DescribeRule" -> describeRule(request);
      case "ListRules" -> listRules(request);
      default -> throw new dev.poolshift.local.http.UnknownOperationException(operation);
    };
  }

  private JsonNode putEvents(ObjectNode request) {
    JsonNode entries = request.get("Entries");
    if (entries == null || !entries.isArray() || entries.isEmpty() || entries.size() > 10) {
      throw AwsServiceException.client("ValidationException", "1 validation error detected: Value at 'entries' failed "
          + "to satisfy constraint: Member must have length between 1 and 10");
    }
    if (LocalJson.write(entries).getBytes(StandardCharsets.UTF_8).length > MAX_REQUEST_BYTES) {
      throw AwsServiceException.client("ValidationException", "Total size of the entries in the request is over the "
          + "limit.");
    }
    List<PutEventsEntry> parsed = new ArrayList<>();
    for (JsonNode e : entries) {
      List<String> resources = new ArrayList<>();
      e.path("Resources").forEach(r -> resources.add(r.asText()));
      parsed.add(new PutEventsEntry(text(e, "Source"), text(e, "DetailType"), text(e, "Detail"), resources,
          time(e.get("Time")), text(e, "EventBusName")));
    }
    List<PutEventsEntry.Result> results = bus.putEvents(parsed);
    ObjectNode response = LocalJson.object();
    response.put("FailedEntryCount", (int) results.stream().filter(PutEventsEntry.Result::failed).count());
    ArrayNode out = response.putArray("Entries");
    for (PutEventsEntry.Result r : results) {
      ObjectNode o = out.addObject();
      if (r.failed()) {
        o.put("ErrorCode", r.errorCode());
        o.put("ErrorMessage", r.errorMessage());
      } else {
        o.put("EventId", r.eventId());
      }
    }
    return response;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** JSON 1.1 timestamps are epoch seconds; ISO text is accepted too. */
  private static Instant time(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      BigDecimal seconds = v.decimalValue();
      return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
    try {
      return Instant.parse(v.asText());
    } catch (java.time.format.DateTimeParseException e) {
      throw AwsServiceException.client("ValidationException", "Time '" + v.asText() + "' is not a valid timestamp");
    }
  }

  private JsonNode testEventPattern(ObjectNode request) {
    String pattern = text(request, "EventPattern");
    String event = text(request, "Event");
    if (pattern == null || event == null) {
      throw AwsServiceException.client("ValidationException", "EventPattern and Event are required");
    }
    try {
      EventBus.validatePattern(pattern, "EventPattern");
    } catch (IllegalArgumentException e) {
      throw AwsServiceException.client("InvalidEventPatternException",
          e.getMessage().substring(e.getMessage().indexOf("Event pattern")));
    }
    JsonNode parsed;
    try {
      parsed = LocalJson.parse(event);
    } catch (IllegalArgumentException e) {
      throw AwsServiceException.client("ValidationException", "Parameter Event is not valid.");
    }
    for (String required : List.of("id", "account", "source", "time", "region", "resources", "detail-type")) {
      if (!parsed.has(required)) {
        throw AwsServiceException.client("ValidationException", "Parameter Event is not valid.");
      }
    }
    var machine = software.amazon.event.ruler.GenericMachine.<String>builder().build();
    try {
      machine.addRule("r", pattern);
    } catch (Exception e) {
      throw AwsServiceException.client("InvalidEventPatternException", "Event pattern is not valid. Reason: "
          + e.getMessage());
    }
    return LocalJson.object().put("Result", !machine.rulesForJSONEvent(parsed).isEmpty());
  }

  private RuleDef rule(ObjectNode request) {
    String name = text(request, "Name");
    String busName = text(request, "EventBusName");
    busName = busName == null ? "default" : busName.startsWith("arn:") ? busName.substring(busName.lastIndexOf('/') + 1)
        : busName;
    if (name == null) {
      throw AwsServiceException.client("ValidationException", "Name is required");
    }
    RuleDef rule = bus.findRule(name, busName);
    if (rule == null) {
      throw new AwsServiceException(400, "ResourceNotFoundException", "Rule " + name + " does not exist on EventBus "
          + busName + ".");
    }
    return rule;
  }

  private JsonNode setEnabled(ObjectNode request, boolean enabled) {
    bus.setRuleEnabled(rule(request).logicalId(), enabled);
    return LocalJson.object();
  }

  private JsonNode describeRule(ObjectNode request) {
    return describe(rule(request));
  }

  private ObjectNode describe(RuleDef r) {
    ObjectNode o = LocalJson.object();
    o.put("Name", r.name());
    o.put("Arn", r.arn());
    if (r.eventPattern() != null) {
      o.put("EventPattern", r.eventPattern());
    }
    if (r.schedule() != null && r.schedule().kind() == RuleDef.Schedule.Kind.EVENTBRIDGE_RULE) {
      o.put("ScheduleExpression", r.schedule().expression());
    }
    o.put("State", bus.isRuleEnabled(r.logicalId()) ? "ENABLED" : "DISABLED");
    o.put("EventBusName", r.eventBusName());
    return o;
  }

  private JsonNode listRules(ObjectNode request) {
    String prefix = text(request, "NamePrefix");
    String busName = text(request, "EventBusName");
    String wanted = busName == null ? "default" : busName;
    ObjectNode response = LocalJson.object();
    ArrayNode rules = response.putArray("Rules");
    for (RuleDef r : bus.rules().values()) {
      if (r.schedule() != null && r.schedule().kind() == RuleDef.Schedule.Kind.SCHEDULER) {
        continue;
      }
      if (r.eventBusName().equals(wanted) && (prefix == null || r.name().startsWith(prefix))) {
        rules.add(describe(r));
      }
    }
    return response;
  }
}
