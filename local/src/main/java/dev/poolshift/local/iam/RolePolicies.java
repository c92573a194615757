package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.template.SamTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The identity-based policies of a function's or state machine's role, read from the template
 * the way SAM builds the role:
 * <ul>
 *   <li>without {@code Role}, SAM generates one holding every entry of {@code Policies}: an inline
 *       document ({@code Statement: ...}), a SAM policy template ({@code LambdaInvokePolicy: {...}},
 *       see {@link SamPolicyTemplates}) or a managed policy by name or ARN; for a function it adds
 *       the managed policy {@code AWSLambdaBasicExecutionRole}, {@code AWSXrayWriteOnlyAccess} when
 *       {@code Tracing} is {@code Active}, and the right to send to its {@code DeadLetterQueue};</li>
 *   <li>with {@code Role} naming an {@code AWS::IAM::Role} of the template, that role's
 *       {@code Policies} and {@code ManagedPolicyArns};</li>
 *   <li>a role from outside the template cannot be read: the runtime refuses to start.</li>
 * </ul>
 * Managed policies are known by their content only for the few SAM attaches itself; any other is
 * an error rather than a guess. A {@code PermissionsBoundary} is reported as not modelled.
 */
final class RolePolicies {
  private static final String BASIC_EXECUTION = "AWSLambdaBasicExecutionRole";
  private static final String XRAY_WRITE = "AWSXrayWriteOnlyAccess";
  /** AWS managed policies by name, with the statements AWS publishes for them. */
  private static final Map<String, String> MANAGED = Map.of(
      BASIC_EXECUTION, """
          [{"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "*"}]""",
      XRAY_WRITE, """
          [{"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
              "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"], "Resource": "*"}]""");
  private static final Map<String, String> MANAGED_PATHS = Map.of(BASIC_EXECUTION, "service-role/", XRAY_WRITE, "");

  private RolePolicies() {}

  /** The role's ARN and its policies. */
  record Role(String arn, String roleId, List<PolicyDocument> policies) {}

  static Role of(SamTemplate template, String logicalId, boolean function, List<String> notModelled) {
    AwsContext aws = template.aws();
    String where = "Resources." + logicalId;
    if (template.resolvedProperty(logicalId, "PermissionsBoundary") != null) {
      notModelled.add(logicalId + ": PermissionsBoundary is not evaluated (the rehearsal allows what the role's"
          + " policies allow)");
    }
    Object role = template.resolvedProperty(logicalId, "Role");
    if (role != null) {
      return declaredRole(template, String.valueOf(role), where + ".Properties.Role");
    }
    String roleId = logicalId + "Role";
    List<PolicyDocument> policies = new ArrayList<>();
    Object declared = template.resolvedProperty(logicalId, "Policies");
    List<Object> entries = declared == null ? List.of() : declared instanceof List<?> l ? new ArrayList<>(l)
        : List.of(declared);
    for (int i = 0; i < entries.size(); i++) {
      Object entry = entries.get(i);
      String name = roleId + "Policy" + i;
      String w = where + ".Properties.Policies[" + i + "]";
      if (entry instanceof String managed) {
        policies.add(managed(managed, aws, w));
      } else if (entry instanceof Map<?, ?> map && map.containsKey("Statement")) {
        policies.add(PolicyDocument.parse(name + " (" + w + ")", map));
      } else if (entry instanceof Map<?, ?> map && map.size() == 1) {
        Map.Entry<?, ?> t = map.entrySet().iterator().next();
        policies.add(SamPolicyTemplates.expand(String.valueOf(t.getKey()), t.getValue(), aws, name + " (" + w + ")"));
      } else {
        throw new PolicyException(w + ": a managed policy name or ARN, an inline document with Statement, or one"
            + " SAM policy template");
      }
    }
    if (function) {
      policies.add(managed(BASIC_EXECUTION, aws, where));
      if ("Active".equals(String.valueOf(template.resolvedProperty(logicalId, "Tracing")))) {
        policies.add(managed(XRAY_WRITE, aws, where));
      }
      if (template.resolvedProperty(logicalId, "DeadLetterQueue") instanceof Map<?, ?> dlq) {
        boolean sqs = "SQS".equals(String.valueOf(dlq.get("Type")));
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Action", sqs ? "sqs:SendMessage" : "sns:Publish");
        statement.put("Resource", String.valueOf(dlq.get("TargetArn")));
        policies.add(PolicyDocument.parse(roleId + " DeadLetterQueue", Map.of("Statement", List.of(statement))));
      }
    }
    return new Role(String.valueOf(template.getAtt(roleId, "Arn")), String.valueOf(template.getAtt(roleId, "RoleId")),
        policies);
  }

  /** A role given by ARN: one of the template's AWS::IAM::Role resources, else unknown. */
  private static Role declaredRole(SamTemplate template, String arn, String where) {
    for (Map.Entry<String, String> r : template.resourceTypes().entrySet()) {
      if (!r.getValue().equals("AWS::IAM::Role") || !arn.equals(String.valueOf(template.getAtt(r.getKey(), "Arn")))) {
        continue;
      }
      String id = r.getKey();
      List<PolicyDocument> policies = new ArrayList<>();
      if (template.resolvedProperty(id, "Policies") instanceof List<?> inline) {
        for (int i = 0; i < inline.size(); i++) {
          if (!(inline.get(i) instanceof Map<?, ?> p) || p.get("PolicyDocument") == null) {
            throw new PolicyException("Resources." + id + ".Properties.Policies[" + i + "]: PolicyName and"
                + " PolicyDocument are required");
          }
          policies.add(PolicyDocument.parse(id + " " + p.get("PolicyName"), p.get("PolicyDocument")));
        }
      }
      if (template.resolvedProperty(id, "ManagedPolicyArns") instanceof List<?> managed) {
        for (Object m : managed) {
          policies.add(managed(String.valueOf(m), template.aws(), "Resources." + id + ".Properties.ManagedPolicyArns"));
        }
      }
      return new Role(arn, String.valueOf(template.getAtt(id, "RoleId")), policies);
    }
    throw new PolicyException(where + ": the role " + arn + " is not declared in the template, so its policies"
        + " cannot be evaluated; declare it as an AWS::IAM::Role of the template");
  }

  /** A managed policy by name or ARN; only the ones SAM attaches itself are known. */
  private static PolicyDocument managed(String nameOrArn, AwsContext aws, String where) {
    String name = nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
    String statements = MANAGED.get(name);
    String arn = "arn:" + aws.partition() + ":iam::aws:policy/" + MANAGED_PATHS.getOrDefault(name, "") + name;
    if (statements == null || (nameOrArn.startsWith("arn:") && !nameOrArn.equals(arn))) {
      throw new PolicyException(where + ": managed policy " + nameOrArn + " is not known to the local runtime"
          + " (known: " + String.join(", ", new TreeSet<>(MANAGED.keySet())) + "); write its statements inline");
    }
    return PolicyDocument.parse(arn, Map.of("Version", PolicyDocument.CURRENT, "Statement",
        LocalJson.parse(statements)));
  }
}
