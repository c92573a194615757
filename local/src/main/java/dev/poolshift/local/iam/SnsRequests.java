package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import java.util.List;

/**
 * SNS's request contexts (Query protocol; Service Authorization Reference, "Amazon SNS"): topic
 * actions on the topic's ARN; {@code Publish} to a platform endpoint on its ARN, to a phone
 * number on {@code *}; listing topics has no resource-level permissions.
 */
final class SnsRequests implements ServiceRequests {
  private final AwsContext aws;

  SnsRequests(AwsContext aws) {
    this.aws = aws;
  }

  @Override
  public String signingName() {
    return "sns";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    return switch (op) {
      case "Publish" -> {
        String target = r.text("TopicArn") != null ? r.text("TopicArn") : r.text("TargetArn");
        if (target == null && r.text("PhoneNumber") == null) {
          throw new MissingMemberException("TopicArn");
        }
        yield List.of(Authorization.of("sns:Publish", target == null ? "*" : target));
      }
      case "CreateTopic" -> {
        Authorization a = Authorization.of("sns:CreateTopic", aws.arn("sns", r.required("Name")));
        a.context().merge(Keys.requestTags(Keys.paramTags(r.params(), "Tags"), r.params().isPresent("Tags")));
        yield List.of(a);
      }
      case "Subscribe", "GetTopicAttributes", "ListSubscriptionsByTopic" ->
          List.of(Authorization.of("sns:" + op, r.required("TopicArn")));
      case "ListTopics" -> List.of(Authorization.of("sns:ListTopics", "*"));
      default -> throw new UnmappedOperationException("sns", op);
    };
  }
}
