package dev.poolshift.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.http.Paging;
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
 * {@code DisableRule}, {@code DescribeRule}, {@code ListRules}, {@code PutRule}, {@code
 * ListTargetsByRule}, {@code ListEventBuses}. Lists page by {@code Limit} (1 to 100, 100 when
 * absent) with tokens that hold the last name returned.
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
      case "PutRule" -> putRule(request);
      case "ListTargetsByRule" -> listTargetsByRule(request);
      case "ListEventBuses" -> listEventBuses(request);
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
    String busName = busName(text(request, "EventBusName"));
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
    String wanted = busName(text(request, "EventBusName"));
    int limit = limit(request);
    List<RuleDef> matching = new ArrayList<>();
    for (RuleDef r : bus.rules().values()) {
      if (r.schedule() != null && r.schedule().kind() == RuleDef.Schedule.Kind.SCHEDULER) {
        continue;
      }
      if (r.eventBusName().equals(wanted) && (prefix == null || r.name().startsWith(prefix))) {
        matching.add(r);
      }
    }
    Paging.Page<RuleDef> page = Paging.page(matching, RuleDef::name, limit, text(request, "NextToken"),
        EventsService::invalidToken);
    ObjectNode response = LocalJson.object();
    ArrayNode rules = response.putArray("Rules");
    page.items().forEach(r -> rules.add(describe(r)));
    if (page.nextToken() != null) {
      response.put("NextToken", page.nextToken());
    }
    return response;
  }

  /** {@code Limit}: 1 to 100; EventBridge returns up to 100 when it is absent. */
  private static int limit(ObjectNode request) {
    JsonNode v = request.get("Limit");
    Integer requested = v == null || v.isNull() ? null : v.asInt();
    return Paging.limit(requested, 100, 1, 100, n -> AwsServiceException.client("ValidationException",
        "1 validation error detected: Value '" + n + "' at 'limit' failed to satisfy constraint: Member must have value "
            + (n < 1 ? "greater than or equal to 1" : "less than or equal to 100")));
  }

  private static AwsServiceException invalidToken() {
    return AwsServiceException.client("ValidationException", "The nextToken provided is invalid.");
  }

  private static String busName(String nameOrArn) {
    return nameOrArn == null ? "default"
        : nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
  }

  private static final java.util.regex.Pattern RULE_NAME = java.util.regex.Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");
  private static final java.util.Set<String> RULE_STATES = java.util.Set.of("ENABLED", "DISABLED",
      "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");

  /**
   * PutRule as EventBridge validates it: a name of 1-64 {@code [.-_A-Za-z0-9]}, a pattern or a
   * schedule (schedules only on the default bus), a known bus and state. Targets are not
   * simulated for rules made here: PutTargets is not implemented, so such a rule matches (and is
   * listed) but delivers nowhere.
   */
  private JsonNode putRule(ObjectNode request) {
    String name = text(request, "Name");
    if (name == null || !RULE_NAME.matcher(name).matches()) {
      throw AwsServiceException.client("ValidationException", "1 validation error detected: Value '" + name
          + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
    }
    String busName = busName(text(request, "EventBusName"));
    if (!bus.busNames().contains(busName)) {
      throw AwsServiceException.client("ResourceNotFoundException", "Event bus " + busName + " does not exist.");
    }
    String pattern = text(request, "EventPattern");
    String schedule = text(request, "ScheduleExpression");
    if (pattern == null && schedule == null) {
      throw AwsServiceException.client("ValidationException",
          "Parameter(s) EventPattern or ScheduleExpression must be specified.");
    }
    if (schedule != null && !busName.equals("default")) {
      throw AwsServiceException.client("ValidationException",
          "ScheduleExpression is supported only on the default event bus.");
    }
    String state = text(request, "State");
    if (state != null && !RULE_STATES.contains(state)) {
      throw AwsServiceException.client("ValidationException", "1 validation error detected: Value '" + state
          + "' at 'state' failed to satisfy constraint: Member must satisfy enum value set: "
          + "[ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
    }
    if (pattern != null) {
      try {
        EventBus.validatePattern(pattern, "EventPattern");
      } catch (IllegalArgumentException e) {
        throw AwsServiceException.client("InvalidEventPatternException",
            e.getMessage().substring(e.getMessage().indexOf("Event pattern")));
      }
    }
    if (schedule != null) {
      try {
        ScheduleExpression.parse(schedule, null);
      } catch (IllegalArgumentException e) {
        throw AwsServiceException.client("ValidationException", "Parameter ScheduleExpression is not valid.");
      }
    }
    String arn;
    try {
      arn = bus.putRule(name, busName, pattern, schedule, state == null || !state.equals("DISABLED"));
    } catch (IllegalArgumentException e) {
      throw AwsServiceException.client("InvalidEventPatternException", e.getMessage());
    }
    return LocalJson.object().put("RuleArn", arn);
  }

  private JsonNode listTargetsByRule(ObjectNode request) {
    String ruleName = text(request, "Rule");
    if (ruleName == null) {
      throw AwsServiceException.client("ValidationException", "1 validation error detected: Value null at 'rule' "
          + "failed to satisfy constraint: Member must not be null");
    }
    ObjectNode named = LocalJson.object().put("Name", ruleName);
    if (request.has("EventBusName")) {
      named.set("EventBusName", request.get("EventBusName"));
    }
    RuleDef rule = rule(named);
    int limit = limit(request);
    Paging.Page<RuleDef.Target> page = Paging.page(bus.targets(rule), RuleDef.Target::id, limit,
        text(request, "NextToken"), EventsService::invalidToken);
    ObjectNode response = LocalJson.object();
    ArrayNode targets = response.putArray("Targets");
    for (RuleDef.Target t : page.items()) {
      ObjectNode o = targets.addObject().put("Id", t.id()).put("Arn", t.arn());
      if (t.input() != null) {
        o.put("Input", t.input());
      }
      if (t.inputPath() != null) {
        o.put("InputPath", t.inputPath());
      }
      if (t.inputTransformer() != null) {
        ObjectNode tr = o.putObject("InputTransformer");
        ObjectNode paths = tr.putObject("InputPathsMap");
        t.inputTransformer().inputPathsMap().forEach(paths::put);
        tr.put("InputTemplate", t.inputTransformer().inputTemplate());
      }
      if (t.retryPolicy() != null) {
        ObjectNode rp = o.putObject("RetryPolicy");
        if (t.retryPolicy().maximumRetryAttempts() != null) {
          rp.put("MaximumRetryAttempts", t.retryPolicy().maximumRetryAttempts());
        }
        if (t.retryPolicy().maximumEventAgeInSeconds() != null) {
          rp.put("MaximumEventAgeInSeconds", t.retryPolicy().maximumEventAgeInSeconds());
        }
      }
      if (t.deadLetterArn() != null) {
        o.putObject("DeadLetterConfig").put("Arn", t.deadLetterArn());
      }
    }
    if (page.nextToken() != null) {
      response.put("NextToken", page.nextToken());
    }
    return response;
  }

  private JsonNode listEventBuses(ObjectNode request) {
    String prefix = text(request, "NamePrefix");
    int limit = limit(request);
    List<String> names = bus.busNames().stream().filter(n -> prefix == null || n.startsWith(prefix)).toList();
    Paging.Page<String> page = Paging.page(names, n -> n, limit, text(request, "NextToken"),
        EventsService::invalidToken);
    ObjectNode response = LocalJson.object();
    ArrayNode buses = response.putArray("EventBuses");
    page.items().forEach(n -> buses.addObject().put("Name", n).put("Arn", bus.busArn(n)));
    if (page.nextToken() != null) {
      response.put("NextToken", page.nextToken());
    }
    return response;
  }
}
