package dev.poolshift.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.aws.AwsContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * EventBridge's request contexts (JSON 1.1; Service Authorization Reference, "Amazon
 * EventBridge"): {@code PutEvents} on every event bus its entries name (the default bus when they
 * name none), rule actions on the rule's ARN ({@code rule/<name>} on the default bus,
 * {@code rule/<bus>/<name>} on another), listing and pattern tests on {@code *}. The keys
 * {@code events:source} and {@code events:detail-type} of {@code PutEvents} are put in the context.
 */
final class EventsRequests implements ServiceRequests {
  private final AwsContext aws;

  EventsRequests(AwsContext aws) {
    this.aws = aws;
  }

  @Override
  public String signingName() {
    return "events";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    return switch (op) {
      case "PutEvents" -> {
        Set<String> buses = new LinkedHashSet<>();
        Set<String> sources = new LinkedHashSet<>();
        Set<String> types = new LinkedHashSet<>();
        JsonNode entries = r.document().get("Entries");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
          throw new MissingMemberException("Entries");
        }
        entries.forEach(e -> {
          buses.add(bus(e.path("EventBusName").asText("default")));
          if (e.hasNonNull("Source")) {
            sources.add(e.get("Source").asText());
          }
          if (e.hasNonNull("DetailType")) {
            types.add(e.get("DetailType").asText());
          }
        });
        yield buses.stream().map(b -> {
          Authorization a = Authorization.of("events:PutEvents", b);
          a.context().putAll("events:source", List.copyOf(sources)).putAll("events:detail-type", List.copyOf(types));
          return a;
        }).toList();
      }
      case "PutRule", "DescribeRule", "EnableRule", "DisableRule", "ListTargetsByRule", "DeleteRule" ->
          List.of(Authorization.of("events:" + op, rule(r.required(op.equals("ListTargetsByRule") ? "Rule" : "Name"),
              r.text("EventBusName"))));
      case "ListRules", "ListEventBuses", "TestEventPattern" -> List.of(Authorization.of("events:" + op, "*"));
      default -> throw new UnmappedOperationException("events", op);
    };
  }

  private String bus(String nameOrArn) {
    return nameOrArn.startsWith("arn:") ? nameOrArn : aws.arn("events", "event-bus/" + nameOrArn);
  }

  private String rule(String name, String bus) {
    if (name.startsWith("arn:")) {
      return name;
    }
    String b = bus == null ? "default" : bus.startsWith("arn:") ? bus.substring(bus.lastIndexOf('/') + 1) : bus;
    return aws.arn("events", b.equals("default") ? "rule/" + name : "rule/" + b + "/" + name);
  }
}
