package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.json.LocalJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The SAM policy templates a template may name in {@code Policies} ({@code - LambdaInvokePolicy:
 * {FunctionName: !Ref Fn}}), expanded into the statements SAM writes for them (its published
 * policy-template definitions): each parameter is substituted where the definition places it,
 * after the pseudo parameters. A template not listed here, or a missing parameter, stops the
 * runtime: evaluating a guess would make the rehearsal wrong in either direction.
 */
final class SamPolicyTemplates {
  private record Template(List<String> parameters, String statements) {}

  private static final String TABLE = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}";
  private static final String SSM_READ = "ssm:GetParameters\", \"ssm:GetParameter\", \"ssm:GetParametersByPath";

  private static final Map<String, Template> TEMPLATES = Map.ofEntries(
      Map.entry("LambdaInvokePolicy", new Template(List.of("FunctionName"), """
          [{"Effect": "Allow", "Action": ["lambda:InvokeFunction"],
            "Resource": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*"}]""")),
      Map.entry("DynamoDBCrudPolicy", new Template(List.of("TableName"), """
          [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan",
              "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem",
              "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"],
            "Resource": ["%1$s", "%1$s/index/*"]}]""".formatted(TABLE))),
      Map.entry("DynamoDBReadPolicy", new Template(List.of("TableName"), """
          [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
              "dynamodb:DescribeTable"],
            "Resource": ["%1$s", "%1$s/index/*"]}]""".formatted(TABLE))),
      Map.entry("DynamoDBWritePolicy", new Template(List.of("TableName"), """
          [{"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
            "Resource": ["%1$s", "%1$s/index/*"]}]""".formatted(TABLE))),
      Map.entry("SNSPublishMessagePolicy", new Template(List.of("TopicName"), """
          [{"Effect": "Allow", "Action": ["sns:Publish"],
            "Resource": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}"}]""")),
      Map.entry("SQSSendMessagePolicy", new Template(List.of("QueueName"), """
          [{"Effect": "Allow", "Action": ["sqs:SendMessage*"],
            "Resource": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"}]""")),
      // Without a leading slash in the name: SAM puts one between "parameter" and the name.
      Map.entry("SSMParameterReadPolicy", new Template(List.of("ParameterName"), """
          [{"Effect": "Allow", "Action": ["ssm:DescribeParameters"], "Resource": "*"},
           {"Effect": "Allow", "Action": ["%s"],
            "Resource": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${ParameterName}"}]"""
          .formatted(SSM_READ))),
      Map.entry("SSMParameterWithSlashPrefixReadPolicy", new Template(List.of("ParameterName"), """
          [{"Effect": "Allow", "Action": ["ssm:DescribeParameters"], "Resource": "*"},
           {"Effect": "Allow", "Action": ["%s"],
            "Resource": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ParameterName}"}]"""
          .formatted(SSM_READ))),
      Map.entry("StepFunctionsExecutionPolicy", new Template(List.of("StateMachineName"), """
          [{"Effect": "Allow", "Action": ["states:StartExecution"],
            "Resource": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}"}]""")),
      Map.entry("StepFunctionsCallbackPolicy", new Template(List.of("StateMachineName"), """
          [{"Effect": "Allow", "Action": ["states:SendTaskFailure", "states:SendTaskHeartbeat", "states:SendTaskSuccess"],
            "Resource": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}"}]""")),
      Map.entry("CloudWatchPutMetricPolicy", new Template(List.of(), """
          [{"Effect": "Allow", "Action": ["cloudwatch:PutMetricData"], "Resource": "*"}]""")),
      Map.entry("EventBridgePutEventsPolicy", new Template(List.of("EventBusName"), """
          [{"Effect": "Allow", "Action": "events:PutEvents",
            "Resource": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}"}]""")));

  private SamPolicyTemplates() {}

  static boolean isTemplate(String name) {
    return TEMPLATES.containsKey(name);
  }

  /** The policy SAM generates for {@code name} with these parameter values. */
  static PolicyDocument expand(String name, Object parameters, AwsContext aws, String where) {
    Template t = TEMPLATES.get(name);
    if (t == null) {
      throw new PolicyException(where + ": SAM policy template " + name + " is not known to the local runtime"
          + " (known: " + String.join(", ", new TreeSet<>(TEMPLATES.keySet())) + ")");
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (parameters instanceof Map<?, ?> map) {
      map.forEach((k, v) -> values.put(String.valueOf(k), String.valueOf(v)));
    } else if (parameters != null && !(parameters instanceof String s && s.isEmpty())) {
      throw new PolicyException(where + ": the parameters of " + name + " are a mapping, got " + parameters);
    }
    String text = t.statements().replace("${AWS::Partition}", aws.partition())
        .replace("${AWS::Region}", aws.region()).replace("${AWS::AccountId}", aws.accountId());
    for (String p : t.parameters()) {
      String v = values.get(p);
      if (v == null) {
        throw new PolicyException(where + ": SAM policy template " + name + " needs the parameter " + p);
      }
      // Inside a JSON string: a quote or backslash in a value must not end it.
      text = text.replace("${" + p + "}", v.replace("\\", "\\\\").replace("\"", "\\\""));
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("Statement", LocalJson.parse(text));
    return PolicyDocument.parse(where + " (" + name + ")", document);
  }
}
