package dev.poolshift.aws;

import dev.poolshift.rollout.port.Notification;
import dev.poolshift.rollout.port.Notifier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/** {@link Notifier} on an SNS topic ({@code NOTIFICATION_TOPIC_ARN}). */
public final class SnsNotifier implements Notifier {
  private final SnsClient sns;
  private final String topicArn;

  public SnsNotifier(SnsClient sns, String topicArn) {
    this.sns = sns;
    this.topicArn = topicArn;
  }

  @Override
  public void publish(Notification n) {
    try {
      sns.publish(b -> b.topicArn(topicArn).subject(n.subject()).message(n.body()));
    } catch (SdkException e) {
      throw AwsErrors.translate("Publish to " + topicArn, e);
    }
  }
}
