package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.iam.Evaluation;
import dev.poolshift.local.iam.Iam;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The {@code iam} part of a run's report: how many checks IAM made, every one that refused a call
 * (or would have, in report mode), the calls it did not evaluate, and what of the template it does
 * not model.
 */
final class IamReport {
  private IamReport() {}

  static ObjectNode json(Iam iam, Instant t0) {
    ObjectNode out = LocalJson.object();
    out.put("mode", iam.mode().name());
    long evaluated = iam.evaluations().stream().filter(e -> e.action() != null).count();
    long unevaluated = iam.evaluations().stream().filter(e -> e.verdict() == Evaluation.Verdict.NOT_EVALUATED).count();
    out.put("evaluatedChecks", evaluated);
    out.put("callsNotEvaluated", unevaluated);
    out.put("costMillis", iam.cost().toMillis());
    ArrayNode denied = out.putArray("denied");
    for (Evaluation e : iam.denials()) {
      ObjectNode d = denied.addObject();
      d.put("atSeconds", Duration.between(t0, e.at()).toMillis() / 1000.0);
      d.put("caller", e.caller());
      d.put("operation", e.service() + " " + e.operation());
      d.put("action", e.action());
      d.put("resource", e.resource());
      d.put("verdict", e.verdict().name());
      d.put("message", e.message());
    }
    ArrayNode notModelled = out.putArray("notModelled");
    iam.identities().notModelled().forEach(notModelled::add);
    return out;
  }

  /** One timeline line per refused call. */
  static String line(Evaluation e, Iam.Mode mode) {
    return (mode == Iam.Mode.ENFORCE ? "IAM denied " : "IAM would deny ") + e.caller() + " "
        + (e.action() != null ? e.action() + " on " + e.resource() : e.service() + " " + e.operation())
        + " (" + e.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
  }
}
