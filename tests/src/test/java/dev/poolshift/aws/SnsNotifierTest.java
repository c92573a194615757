package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.port.Notification;
import org.junit.jupiter.api.Test;

class SnsNotifierTest {
  @Test
  void publishesTheSubjectAndBodyToTheTopic() {
    StubHttp http = new StubHttp().then(Reply.ok("<PublishResponse xmlns=\"http://sns.amazonaws"
        + ".com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId></PublishResult>"
        + "</PublishResponse>"));
    SnsNotifier notifier = new SnsNotifier(AwsClients.sns(http.settings()),
        "arn:aws:sns:us-east-1:111122223333:poolshift");

    notifier.publish(new Notification("Poolshift: ep rolled back", "line 1\nline 2"));

    assertThat(Form.decode(http.sent().getFirst().text())).containsEntry("Action", "Publish")
        .containsEntry("TopicArn", "arn:aws:sns:us-east-1:111122223333:poolshift")
        .containsEntry("Subject", "Poolshift: ep rolled back")
        .containsEntry("Message", "line 1\nline 2");
  }
}
