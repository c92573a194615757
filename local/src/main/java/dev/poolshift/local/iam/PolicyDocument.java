package dev.poolshift.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An identity-based policy document: {@code Version} and its statements. Parsed strictly, as IAM
 * validates a policy before storing it: an unknown element, a statement without an effect, with
 * both or neither of {@code Action}/{@code NotAction} or {@code Resource}/{@code NotResource}, a
 * {@code Principal} (identity-based policies have none) or an unknown condition operator is a
 * {@link PolicyException} naming the place.
 *
 * @param name where the policy comes from, for reports ({@code RolloutStepsFunction inline policy 1})
 * @param version {@code 2012-10-17}, {@code 2008-10-17}, or null when absent (then IAM applies
 *     2008-10-17: policy variables are plain text)
 */
public record PolicyDocument(String name, String version, List<Statement> statements) {
  public static final String CURRENT = "2012-10-17";
  private static final Set<String> ELEMENTS = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
      "NotResource", "Condition", "Principal", "NotPrincipal");

  /** Parses a document given as JSON, or as the maps and lists a template resolves to. */
  public static PolicyDocument parse(String name, Object document) {
    JsonNode doc = document instanceof JsonNode n ? n : LocalJson.MAPPER.valueToTree(document);
    if (doc == null || !doc.isObject()) {
      throw new PolicyException(name + ": a policy document is a JSON object with Statement");
    }
    for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!ELEMENTS.contains(f)) {
        throw new PolicyException(name + ": unknown policy element " + f);
      }
    }
    String version = doc.hasNonNull("Version") ? doc.get("Version").asText() : null;
    if (version != null && !version.equals(CURRENT) && !version.equals("2008-10-17")) {
      throw new PolicyException(name + ": Version must be 2012-10-17 or 2008-10-17, not " + version);
    }
    JsonNode st = doc.get("Statement");
    if (st == null || !(st.isObject() || st.isArray()) || (st.isArray() && st.isEmpty())) {
      throw new PolicyException(name + ": Statement is required (an object or a non-empty list)");
    }
    List<Statement> statements = new ArrayList<>();
    List<JsonNode> list = new ArrayList<>();
    if (st.isArray()) {
      st.forEach(list::add);
    } else {
      list.add(st);
    }
    boolean variables = CURRENT.equals(version);
    for (int i = 0; i < list.size(); i++) {
      statements.add(statement(list.get(i), i, variables, name + " Statement[" + i + "]"));
    }
    return new PolicyDocument(name, version, List.copyOf(statements));
  }

  private static Statement statement(JsonNode s, int index, boolean variables, String where) {
    if (!s.isObject()) {
      throw new PolicyException(where + ": a statement is a JSON object");
    }
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!STATEMENT_ELEMENTS.contains(f)) {
        throw new PolicyException(where + ": unknown statement element " + f);
      }
    }
    if (s.has("Principal") || s.has("NotPrincipal")) {
      throw new PolicyException(where + ": an identity-based policy has no Principal");
    }
    String effectText = s.path("Effect").asText("");
    Statement.Effect effect = switch (effectText) {
      case "Allow" -> Statement.Effect.ALLOW;
      case "Deny" -> Statement.Effect.DENY;
      default -> throw new PolicyException(where + ": Effect must be Allow or Deny, not '" + effectText + "'");
    };
    boolean notAction = exactlyOne(s, "Action", "NotAction", where);
    List<String> actionTexts = strings(s.get(notAction ? "NotAction" : "Action"), where + "." + (notAction ? "NotAction"
        : "Action"));
    for (String a : actionTexts) {
      if (!a.equals("*") && (a.indexOf(':') <= 0 || a.indexOf(':') == a.length() - 1)) {
        throw new PolicyException(where + ": action '" + a + "' is not <service>:<action>");
      }
    }
    boolean notResource = exactlyOne(s, "Resource", "NotResource", where);
    List<String> resourceTexts = strings(s.get(notResource ? "NotResource" : "Resource"), where + "."
        + (notResource ? "NotResource" : "Resource"));
    for (String r : resourceTexts) {
      if (!r.equals("*") && !r.startsWith("arn:")) {
        throw new PolicyException(where + ": resource '" + r + "' is neither * nor an ARN");
      }
    }
    List<Condition> conditions = new ArrayList<>();
    JsonNode cond = s.get("Condition");
    if (cond != null && !cond.isNull()) {
      if (!cond.isObject()) {
        throw new PolicyException(where + ".Condition: an object of operator → {key → value(s)}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> ops = cond.fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (!op.getValue().isObject()) {
          throw new PolicyException(where + ".Condition." + op.getKey() + ": an object of key → value(s)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
          Map.Entry<String, JsonNode> k = keys.next();
          String w = where + ".Condition." + op.getKey() + "." + k.getKey();
          conditions.add(Condition.parse(op.getKey(), k.getKey(), strings(k.getValue(), w), variables, w));
        }
      }
    }
    return new Statement(s.hasNonNull("Sid") ? s.get("Sid").asText() : null, effect,
        actionTexts.stream().map(a -> PolicyString.of(a, false)).toList(), notAction,
        resourceTexts.stream().map(r -> ArnPattern.of(r, variables, false)).toList(), notResource,
        List.copyOf(conditions), index);
  }

  private static boolean exactlyOne(JsonNode s, String element, String negated, String where) {
    boolean has = s.has(element);
    boolean hasNot = s.has(negated);
    if (has == hasNot) {
      throw new PolicyException(where + ": exactly one of " + element + " and " + negated + " is required");
    }
    return hasNot;
  }

  /** A string, number or boolean, or a non-empty list of them, as text. */
  private static List<String> strings(JsonNode node, String where) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(scalar(n, where)));
    } else if (node != null) {
      out.add(scalar(node, where));
    }
    if (out.isEmpty()) {
      throw new PolicyException(where + ": no value");
    }
    return out;
  }

  private static String scalar(JsonNode n, String where) {
    if (!n.isValueNode() || n.isNull()) {
      throw new PolicyException(where + ": expected a string, got " + n);
    }
    return n.asText();
  }
}
