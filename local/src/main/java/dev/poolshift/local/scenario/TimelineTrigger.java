package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.template.StateMachineDef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A timeline entry's {@code when}: the workflow moment it waits for instead of an absolute
 * {@code at} (format in {@code events/scenarios/README.md}). The entry runs {@code afterSeconds}
 * after the {@code occurrence}-th time the moment happens, counted from the start of the
 * rehearsal; {@link TimelineTriggers} watches for it.
 *
 * @param kind what is watched
 * @param value the state's name, the endpoint status or the alarm state waited for
 * @param subject the execution (any when null), endpoint or alarm; a trailing {@code *} matches
 *     every name that starts with the rest
 */
public record TimelineTrigger(Kind kind, String value, String subject, int occurrence, double afterSeconds) {

  /** The moments a timeline entry can wait for, with their field names. */
  public enum Kind {
    /** An execution's history gets a {@code …StateEntered} event for the state. */
    STATE_ENTERED("stateEntered", "execution"),
    /** The endpoint's status (as DescribeEndpoint shows it) changes to the value. */
    ENDPOINT_STATUS("endpointStatus", "endpoint"),
    /** The alarm's state changes to the value. */
    ALARM_STATE("alarmState", "alarm");

    final String field;
    final String subjectField;

    Kind(String field, String subjectField) {
      this.field = field;
      this.subjectField = subjectField;
    }
  }

  /** DescribeEndpoint's EndpointStatus values. */
  static final Set<String> ENDPOINT_STATUSES = Set.of("OutOfService", "Creating", "Updating", "SystemUpdating",
      "RollingBack", "InService", "Deleting", "Failed", "UpdateRollbackFailed");
  static final Set<String> ALARM_STATES = Set.of("OK", "ALARM", "INSUFFICIENT_DATA");

  /** Whether {@code name} is the subject (a missing subject matches every name). */
  boolean matches(String name) {
    if (subject == null) {
      return true;
    }
    return subject.endsWith("*") ? name.startsWith(subject.substring(0, subject.length() - 1)) : subject.equals(name);
  }

  /** For reports: "the 1st time fraud-scoring-prod's status becomes Updating, + 30 s". */
  public String describe() {
    String nth = ordinal(occurrence) + " time ";
    String what = switch (kind) {
      case STATE_ENTERED -> (subject == null ? "any execution" : "execution " + subject) + " enters \"" + value + "\"";
      case ENDPOINT_STATUS -> "endpoint " + subject + " becomes " + value;
      case ALARM_STATE -> "alarm " + subject + " goes to " + value;
    };
    return "the " + nth + what + (afterSeconds > 0 ? ", + " + plain(afterSeconds) + " s" : "");
  }

  /**
   * Reads {@code when} at {@code field} (e.g. {@code timeline[2].when}); problems go to
   * {@code problems}, each naming its field. Returns null when it cannot be read.
   */
  static TimelineTrigger parse(JsonNode when, String field, List<String> problems) {
    if (!(when instanceof ObjectNode o)) {
      problems.add(field + ": must be an object");
      return null;
    }
    List<Kind> kinds = new ArrayList<>();
    for (Kind k : Kind.values()) {
      if (o.has(k.field)) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      problems.add(field + ": needs exactly one of alarmState, endpointStatus, stateEntered (got "
          + kinds.stream().map(k -> k.field).toList() + ")");
      return null;
    }
    Kind kind = kinds.get(0);
    Set<String> allowed = Set.of(kind.field, kind.subjectField, "occurrence", "afterSeconds");
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        problems.add(field + "." + f + ": unknown field (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
    int before = problems.size();
    String value = text(o, field, kind.field, true, problems);
    if (value != null && kind == Kind.ENDPOINT_STATUS && !ENDPOINT_STATUSES.contains(value)) {
      problems.add(field + ".endpointStatus: must be one of " + new TreeSet<>(ENDPOINT_STATUSES) + " (got " + value + ")");
    }
    if (value != null && kind == Kind.ALARM_STATE && !ALARM_STATES.contains(value)) {
      problems.add(field + ".alarmState: must be one of " + new TreeSet<>(ALARM_STATES) + " (got " + value + ")");
    }
    // Any execution may enter a state; endpoint statuses and alarm states belong to one resource.
    String subject = text(o, field, kind.subjectField, kind != Kind.STATE_ENTERED, problems);
    if (subject != null && kind == Kind.ENDPOINT_STATUS && subject.endsWith("*")) {
      problems.add(field + ".endpoint: names one endpoint (no *)");
    }
    int occurrence = 1;
    JsonNode n = o.get("occurrence");
    if (n != null) {
      if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > 10_000) {
        problems.add(field + ".occurrence: must be an integer 1–10000 (got " + n + ")");
      } else {
        occurrence = n.asInt();
      }
    }
    double after = 0;
    n = o.get("afterSeconds");
    if (n != null) {
      if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > 366 * 86400.0) {
        problems.add(field + ".afterSeconds: must be a number 0–31622400 (got " + n + ")");
      } else {
        after = n.asDouble();
      }
    }
    return problems.size() == before ? new TimelineTrigger(kind, value, subject, occurrence, after) : null;
  }

  /**
   * Problems with what the triggers name, now that the template is loaded: a state that no state
   * machine of the template has (the entry would never run), an endpoint not in
   * {@code world.endpoints}. Alarms are not checked: a rollout creates its own while it runs.
   */
  static List<String> checkNames(Scenario scenario, LocalRuntime runtime) {
    List<String> problems = new ArrayList<>();
    Set<String> states = null;
    Set<String> endpoints = new java.util.HashSet<>();
    scenario.endpoints().forEach(e -> endpoints.add(e.name()));
    for (Scenario.Event ev : scenario.timeline()) {
      TimelineTrigger t = ev.when();
      if (t == null) {
        continue;
      }
      String field = "timeline[" + ev.index() + "].when";
      if (t.kind() == Kind.STATE_ENTERED) {
        if (states == null) {
          states = stateNames(runtime.template().stateMachines());
        }
        if (!states.contains(t.value())) {
          problems.add(field + ".stateEntered: no state \"" + t.value() + "\" in the template's state machines");
        }
      }
      if (t.kind() == Kind.ENDPOINT_STATUS && !endpoints.contains(t.subject())) {
        problems.add(field + ".endpoint: no endpoint " + t.subject() + " in world.endpoints");
      }
    }
    return problems;
  }

  /** Every state name of the machines, Parallel branches and Map processors included. */
  static Set<String> stateNames(Map<String, StateMachineDef> machines) {
    Set<String> names = new LinkedHashSet<>();
    machines.values().forEach(m -> collectStates(LocalJson.parse(m.definition()), names));
    return names;
  }

  private static void collectStates(JsonNode container, Set<String> names) {
    for (var it = container.path("States").fields(); it.hasNext(); ) {
      var state = it.next();
      names.add(state.getKey());
      state.getValue().path("Branches").forEach(b -> collectStates(b, names));
      for (String processor : List.of("ItemProcessor", "Iterator")) {
        if (state.getValue().has(processor)) {
          collectStates(state.getValue().get(processor), names);
        }
      }
    }
  }

  private static String text(ObjectNode o, String field, String name, boolean required, List<String> problems) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        problems.add(field + "." + name + ": required");
      }
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      problems.add(field + "." + name + ": must be a non-empty string");
      return null;
    }
    return n.asText();
  }

  private static String ordinal(int n) {
    int mod100 = n % 100;
    String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
