package dev.poolshift.local.cloudwatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.Doc;
import dev.poolshift.local.json.LocalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CloudWatch dashboards (PutDashboard, GetDashboard, ListDashboards, DeleteDashboards), as the
 * API reference describes them: a dashboard is a name and a JSON body, global to the account
 * ({@code arn:<partition>:cloudwatch::<account>:dashboard/<name>}).
 *
 * <p>PutDashboard validates the body as CloudWatch does for what a client can get wrong without
 * drawing anything: the body must be a JSON object, at most 1 MB, with a {@code widgets} array
 * whose items are objects of a known {@code type} with {@code properties} (a metric widget needs
 * {@code metrics}, or an alarm widget {@code alarms}). A body that fails is refused whole with
 * {@code InvalidParameterInput} and its {@code DashboardValidationMessages} ({@code DataPath} and
 * {@code Message}); CloudWatch's own messages are not documented word for word, so these say the
 * same in plain words. The rendering checks CloudWatch does on top (a metric that does not exist,
 * an expression that does not parse) are not made: those come back as warnings on AWS.
 */
public final class Dashboards {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,255}");
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final java.util.Set<String> WIDGET_TYPES = java.util.Set.of("metric", "text", "alarm",
      "log", "explorer", "custom");

  /** One stored dashboard. */
  public record Dashboard(String name, String arn, String body, Instant lastModified) {
    public long size() {
      return body.getBytes(StandardCharsets.UTF_8).length;
    }
  }

  private final AwsContext aws;
  private final TreeMap<String, Dashboard> dashboards = new TreeMap<>();

  Dashboards(AwsContext aws) {
    this.aws = aws;
  }

  String arn(String name) {
    return "arn:" + aws.partition() + ":cloudwatch::" + aws.accountId() + ":dashboard/" + name;
  }

  /** PutDashboard: creates or replaces; returns the warnings (none: see the class comment). */
  public synchronized List<String> put(String name, String body, Instant now) {
    Validation.required("dashboardName", name);
    Validation.required("dashboardBody", body);
    if (!NAME.matcher(name).matches()) {
      throw invalid("The value " + name + " for parameter DashboardName is not valid: it may hold only"
          + " A-Z, a-z, 0-9, \"-\" and \"_\", 1 to 255 characters.", List.of());
    }
    List<String[]> messages = validate(body);
    if (!messages.isEmpty()) {
      throw invalid("The field DashboardBody must be a valid JSON object", messages);
    }
    dashboards.put(name, new Dashboard(name, arn(name), body, now));
    return List.of();
  }

  public synchronized Optional<Dashboard> get(String name) {
    return Optional.ofNullable(dashboards.get(name));
  }

  public synchronized List<Dashboard> list(String prefix) {
    List<Dashboard> out = new ArrayList<>();
    for (Dashboard d : dashboards.values()) {
      if (prefix == null || d.name().startsWith(prefix)) {
        out.add(d);
      }
    }
    return out;
  }

  /** DeleteDashboards: all or none; a name that does not exist refuses the whole call. */
  public synchronized void delete(List<String> names) {
    for (String n : names) {
      if (!dashboards.containsKey(n)) {
        throw notFound(n);
      }
    }
    names.forEach(dashboards::remove);
  }

  static AwsServiceException notFound(String name) {
    return AwsServiceException.client("ResourceNotFound", "Dashboard " + name + " does not exist");
  }

  /** Each problem as {DataPath, Message}; empty when the body is acceptable. */
  static List<String[]> validate(String body) {
    List<String[]> out = new ArrayList<>();
    if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      out.add(new String[] {"", "The dashboard body must be at most 1 MB."});
      return out;
    }
    JsonNode root;
    try {
      root = LocalJson.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      out.add(new String[] {"", "Invalid JSON: " + e.getOriginalMessage()});
      return out;
    }
    if (root == null || !root.isObject()) {
      out.add(new String[] {"", "The dashboard body must be a JSON object."});
      return out;
    }
    JsonNode widgets = root.get("widgets");
    if (widgets == null) {
      out.add(new String[] {"", "Should have required property 'widgets'"});
      return out;
    }
    if (!widgets.isArray()) {
      out.add(new String[] {"/widgets", "Should be array"});
      return out;
    }
    for (int i = 0; i < widgets.size(); i++) {
      JsonNode w = widgets.get(i);
      String at = "/widgets/" + i;
      if (!w.isObject()) {
        out.add(new String[] {at, "Should be object"});
        continue;
      }
      JsonNode type = w.get("type");
      if (type == null || !type.isTextual() || !WIDGET_TYPES.contains(type.asText())) {
        out.add(new String[] {at + "/type", "Should be one of " + new java.util.TreeSet<>(WIDGET_TYPES)});
        continue;
      }
      JsonNode props = w.get("properties");
      if (props == null || !props.isObject()) {
        out.add(new String[] {at, "Should have required property 'properties'"});
        continue;
      }
      switch (type.asText()) {
        case "metric" -> {
          JsonNode metrics = props.get("metrics");
          if (metrics == null || !metrics.isArray()) {
            out.add(new String[] {at + "/properties", "Should have required property 'metrics'"});
          }
        }
        case "alarm" -> {
          JsonNode alarms = props.get("alarms");
          if (alarms == null || !alarms.isArray()) {
            out.add(new String[] {at + "/properties", "Should have required property 'alarms'"});
          }
        }
        case "text" -> {
          JsonNode markdown = props.get("markdown");
          if (markdown == null || !markdown.isTextual()) {
            out.add(new String[] {at + "/properties", "Should have required property 'markdown'"});
          }
        }
        default -> {
          // log, explorer and custom widgets are accepted as they are.
        }
      }
      for (String dim : List.of("x", "y", "width", "height")) {
        JsonNode v = w.get(dim);
        if (v != null && !v.isInt()) {
          out.add(new String[] {at + "/" + dim, "Should be integer"});
        }
      }
    }
    return out;
  }

  private static AwsServiceException invalid(String message, List<String[]> messages) {
    Doc.Struct details = Doc.struct();
    Doc.ListValue list = details.list("dashboardValidationMessages");
    for (String[] m : messages) {
      list.addStruct().put("DataPath", m[0]).put("Message", m[1]);
    }
    return new AwsServiceException(400, "InvalidParameterInput", message, details);
  }
}
