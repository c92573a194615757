package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import java.util.List;

/**
 * Systems Manager Parameter Store's request contexts (JSON 1.1; Service Authorization Reference,
 * "AWS Systems Manager"): a parameter's ARN is {@code arn:...:parameter<name>} for a name with a
 * leading slash and {@code parameter/<name>} without one; {@code GetParametersByPath} is
 * authorized against the path as a parameter ARN, {@code GetParameters} against each name;
 * {@code DescribeParameters} has no resource-level permissions.
 */
final class SsmRequests implements ServiceRequests {
  private final AwsContext aws;

  SsmRequests(AwsContext aws) {
    this.aws = aws;
  }

  @Override
  public String signingName() {
    return "ssm";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    return switch (op) {
      case "GetParameter", "PutParameter", "DeleteParameter" ->
          List.of(Authorization.of("ssm:" + op, parameter(r.required("Name"))));
      case "GetParametersByPath" -> List.of(Authorization.of("ssm:" + op, parameter(r.required("Path"))));
      case "GetParameters", "DeleteParameters" -> {
        List<String> names = Keys.texts(r.document(), "Names");
        if (names.isEmpty()) {
          throw new MissingMemberException("Names");
        }
        yield names.stream().map(n -> Authorization.of("ssm:" + op, parameter(n))).toList();
      }
      case "DescribeParameters" -> List.of(Authorization.of("ssm:DescribeParameters", "*"));
      default -> throw new UnmappedOperationException("ssm", op);
    };
  }

  private String parameter(String name) {
    if (name.startsWith("arn:")) {
      return name;
    }
    return aws.arn("ssm", name.startsWith("/") ? "parameter" + name : "parameter/" + name);
  }
}
