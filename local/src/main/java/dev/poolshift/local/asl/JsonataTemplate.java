package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A field value as written in the definition: JSON in which every string of the form
 * {@code {% expr %}} (at any depth) is a JSONata expression, compiled once at load time.
 */
sealed interface JsonataTemplate {

  /** Evaluates the template; {@code undefined} anywhere a value is required fails the state. */
  JsonNode evaluate(EvalContext context) throws StateError;

  /** A template without expressions. */
  record Literal(JsonNode value) implements JsonataTemplate {
    @Override
    public JsonNode evaluate(EvalContext context) {
      return value;
    }
  }

  /** One JSONata expression; {@code field} is where it sits, e.g. {@code Output/values[0]}. */
  record Expression(JsonataExpression expression, String field) implements JsonataTemplate {
    @Override
    public JsonNode evaluate(EvalContext context) throws StateError {
      Object raw = evaluateRaw(context);
      if (raw == null) {
        throw context.queryError(field, "The JSONata expression '" + expression.text() + "' specified for the field '"
            + field + "' returned nothing (undefined).");
      }
      try {
        return JsonataValues.toJson(raw);
      } catch (JsonataValues.UnsupportedResultException e) {
        throw context.queryError(field, "The JSONata expression '" + expression.text() + "' specified for the field '"
            + field + "' returned an unsupported result type.");
      }
    }

    /** The raw JSONata value (Java null = undefined). */
    Object evaluateRaw(EvalContext context) throws StateError {
      Map<String, Object> bindings = new HashMap<>();
      for (String name : expression.variables()) {
        if (name.equals("states")) {
          bindings.put("states", context.statesValue());
        } else {
          Object value = context.variable(name);
          if (value != null) {
            bindings.put(name, value);
          }
        }
      }
      try {
        return expression.evaluate(bindings, context.nowMillis());
      } catch (RuntimeException | StackOverflowError e) {
        throw context.queryError(field, "The JSONata expression '" + expression.text() + "' specified for the field '"
            + field + "' threw an error during evaluation. " + JsonataExpression.describe(e));
      }
    }
  }

  /** An object whose member values may hold expressions. */
  record ObjectTemplate(Map<String, JsonataTemplate> members) implements JsonataTemplate {
    public ObjectTemplate {
      members = new LinkedHashMap<>(members);
    }

    @Override
    public JsonNode evaluate(EvalContext context) throws StateError {
      ObjectNode result = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonataTemplate> e : members.entrySet()) {
        result.set(e.getKey(), e.getValue().evaluate(context));
      }
      return result;
    }
  }

  /** An array whose elements may hold expressions. */
  record ArrayTemplate(List<JsonataTemplate> elements) implements JsonataTemplate {
    public ArrayTemplate {
      elements = List.copyOf(elements);
    }

    @Override
    public JsonNode evaluate(EvalContext context) throws StateError {
      ArrayNode result = JsonNodeFactory.instance.arrayNode(elements.size());
      for (JsonataTemplate element : elements) {
        result.add(element.evaluate(context));
      }
      return result;
    }
  }
}
