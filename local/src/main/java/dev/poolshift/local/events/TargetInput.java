package dev.poolshift.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.template.RuleDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rule's target receives: the whole event, a constant {@code Input}, the part of the event
 * at {@code InputPath}, or an {@code InputTransformer}'s template filled from the event.
 *
 * <p>JSON paths are EventBridge's subset: {@code $}, dotted names (letters, digits, {@code -},
 * {@code _}, {@code /}) and array indices ({@code $.resources[0]}); anything else is rejected when
 * the rule is loaded. In an {@code InputTemplate}, a placeholder inside a JSON string receives a
 * string value as raw text (EventBridge does not escape it) and other values as JSON; outside a
 * string it receives the value as JSON. A path that matches nothing yields {@code null} outside a
 * string and nothing inside one (EventBridge documents only that such a variable "isn't created";
 * the exact output is unconfirmed). The result is minified when it is JSON.
 */
final class TargetInput {
  private static final String RULE_ARN = "aws.events.rule-arn";
  private static final String RULE_NAME = "aws.events.rule-name";
  private static final String INGESTION_TIME = "aws.events.event.ingestion-time";
  private static final String EVENT = "aws.events.event";
  private static final String EVENT_JSON = "aws.events.event.json";

  private final String constant;
  private final List<Object> inputPath;
  private final Map<String, List<Object>> paths;
  private final String template;

  private TargetInput(String constant, List<Object> inputPath, Map<String, List<Object>> paths, String template) {
    this.constant = constant;
    this.inputPath = inputPath;
    this.paths = paths;
    this.template = template;
  }

  /** Validates the target's input settings; messages say what is wrong (the caller names the rule). */
  static TargetInput of(RuleDef.Target target) {
    if (target.input() != null) {
      return new TargetInput(LocalJson.write(LocalJson.parse(target.input())), null, null, null);
    }
    if (target.inputPath() != null) {
      return new TargetInput(null, path(target.inputPath(), "InputPath"), null, null);
    }
    if (target.inputTransformer() != null) {
      Map<String, List<Object>> paths = new LinkedHashMap<>();
      if (target.inputTransformer().inputPathsMap().size() > 100) {
        throw new IllegalArgumentException("InputPathsMap has more than 100 entries");
      }
      target.inputTransformer().inputPathsMap().forEach((name, path) -> {
        if (name.startsWith("aws.")) {
          throw new IllegalArgumentException("InputPathsMap key '" + name + "' is reserved (keys must not start "
              + "with aws.)");
        }
        paths.put(name, path(path, "InputPathsMap." + name));
      });
      return new TargetInput(null, null, paths, target.inputTransformer().inputTemplate());
    }
    return new TargetInput(null, null, null, null);
  }

  /** The text sent to the target for {@code event}. */
  String render(ObjectNode event, String ruleArn, String ruleName, String ingestionTime) {
    if (constant != null) {
      return constant;
    }
    if (inputPath != null) {
      JsonNode value = select(event, inputPath);
      return value == null ? "null" : LocalJson.write(value);
    }
    if (template == null) {
      return LocalJson.write(event);
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    paths.forEach((name, path) -> values.put(name, select(event, path)));
    values.put(RULE_ARN, LocalJson.NODES.textNode(ruleArn));
    values.put(RULE_NAME, LocalJson.NODES.textNode(ruleName));
    values.put(INGESTION_TIME, LocalJson.NODES.textNode(ingestionTime));
    ObjectNode withoutDetail = event.deepCopy();
    withoutDetail.remove("detail");
    values.put(EVENT, withoutDetail);
    values.put(EVENT_JSON, event);
    String filled = fill(template, values);
    try {
      return LocalJson.write(LocalJson.parse(filled));
    } catch (IllegalArgumentException notJson) {
      return filled;
    }
  }

  private static String fill(String template, Map<String, JsonNode> values) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\\' && inString && i + 1 < template.length()) {
        out.append(c).append(template.charAt(++i));
        continue;
      }
      if (c == '"') {
        inString = !inString;
        out.append(c);
        continue;
      }
      if (c == '<') {
        int end = template.indexOf('>', i);
        if (end > i) {
          String name = template.substring(i + 1, end);
          if (values.containsKey(name)) {
            JsonNode value = values.get(name);
            if (inString) {
              out.append(value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : LocalJson.write(value));
            } else {
              out.append(value == null ? "null" : LocalJson.write(value));
            }
            i = end;
            continue;
          }
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  static JsonNode select(JsonNode root, List<Object> path) {
    JsonNode node = root;
    for (Object step : path) {
      if (node == null) {
        return null;
      }
      node = step instanceof Integer index ? (node.isArray() ? node.get(index) : null) : node.get((String) step);
    }
    return node;
  }

  /** Parses EventBridge's JSONPath subset into steps: names (strings) and indices (integers). */
  static List<Object> path(String text, String what) {
    if (!text.startsWith("$")) {
      throw new IllegalArgumentException(what + " '" + text + "' must start with $");
    }
    List<Object> steps = new ArrayList<>();
    int i = 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || "-_/".indexOf(text.charAt(i)) >= 0)) {
          i++;
        }
        if (i == start) {
          throw new IllegalArgumentException(what + " '" + text + "': expected a name after '.' at position " + start
              + " (wildcards and filters are not supported)");
        }
        steps.add(text.substring(start, i));
      } else if (c == '[') {
        int end = text.indexOf(']', i);
        if (end < 0) {
          throw new IllegalArgumentException(what + " '" + text + "': unclosed [");
        }
        String inner = text.substring(i + 1, end);
        try {
          steps.add(Integer.parseInt(inner));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(what + " '" + text + "': only array indices may appear in [] (use dot "
              + "notation for names)");
        }
        i = end + 1;
      } else {
        throw new IllegalArgumentException(what + " '" + text + "': unexpected '" + c + "' at position " + i);
      }
    }
    return steps;
  }
}
