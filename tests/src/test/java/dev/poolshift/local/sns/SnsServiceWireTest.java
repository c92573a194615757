package dev.poolshift.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.LocalClients;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.sim.Simulation;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Topic;

/** SNS topics and subscriptions over the Query protocol, driven by the real SDK client. */
class SnsServiceWireTest {
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final SnsService service = new SnsService(sim, AwsContext.DEFAULT);
  private final Gateway gateway = Gateway.start(0);
  private final SnsClient client;
  private final String topic;

  SnsServiceWireTest() {
    gateway.register(service);
    client = LocalClients.against(SnsClient.builder(), gateway.endpoint());
    topic = service.createTopic("rollouts");
  }

  @AfterEach
  void close() {
    client.close();
    gateway.close();
    sim.close();
  }

  @Test
  void anSqsSubscriptionIsConfirmedAtOnceAndSubscribingAgainReturnsTheSameOne() {
    String first = client.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:111122223333:q"))
        .subscriptionArn();
    String again = client.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:111122223333:q"))
        .subscriptionArn();

    assertThat(first).startsWith(topic + ":").isEqualTo(again);
    assertThat(client.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions())
        .singleElement().satisfies(s -> {
          assertThat(s.subscriptionArn()).isEqualTo(first);
          assertThat(s.protocol()).isEqualTo("sqs");
          assertThat(s.owner()).isEqualTo("111122223333");
        });
  }

  @Test
  void deleteTopicRemovesTheTopicAndItsSubscriptionsAndMayBeRepeated() {
    client.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:111122223333:q"));

    client.deleteTopic(b -> b.topicArn(topic));
    client.deleteTopic(b -> b.topicArn(topic));

    assertThat(client.listTopics().topics()).extracting(Topic::topicArn).doesNotContain(topic);
    assertThat(service.subscriptions(topic)).isEmpty();
    assertThatThrownBy(() -> client.publish(b -> b.topicArn(topic).message("x"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anEmailSubscriptionWaitsForAConfirmationThatNeverComesLocally() {
    String arn = client.subscribe(b -> b.topicArn(topic).protocol("email").endpoint("oncall@example.com"))
        .subscriptionArn();

    Map<String, String> attributes = client.getTopicAttributes(b -> b.topicArn(topic)).attributes();

    assertThat(arn).isEqualTo("pending confirmation");
    assertThat(attributes).containsEntry("SubscriptionsPending", "1").containsEntry("SubscriptionsConfirmed", "0")
        .containsEntry("TopicArn", topic).containsEntry("Owner", "111122223333").containsKey("Policy");
    assertThat(client.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions())
        .extracting(Subscription::subscriptionArn).containsExactly("PendingConfirmation");
  }

  @Test
  void subscribeValidatesTheProtocolTheEndpointAndTheTopic() {
    assertThatThrownBy(() -> client.subscribe(b -> b.topicArn(topic).protocol("carrier-pigeon").endpoint("x")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("does not support this protocol");
    assertThatThrownBy(() -> client.subscribe(b -> b.topicArn(topic).protocol("email").endpoint("not-an-address")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Email address");
    assertThatThrownBy(() -> client.subscribe(b -> b.topicArn(topic + "-gone").protocol("sqs")
        .endpoint("arn:aws:sqs:us-east-1:111122223333:q"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.getTopicAttributes(b -> b.topicArn(topic + "-gone")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void listTopicsPagesByAHundredWithoutRepeatingATopicCreatedMeanwhile() {
    for (int i = 0; i < 150; i++) {
      service.createTopic(String.format("t%03d", i));
    }
    var first = client.listTopics();
    service.createTopic("a-new-one");
    var second = client.listTopics(b -> b.nextToken(first.nextToken()));

    assertThat(first.topics()).hasSize(100);
    assertThat(second.nextToken()).isNull();
    assertThat(second.topics()).extracting(Topic::topicArn).doesNotContainAnyElementsOf(
        first.topics().stream().map(Topic::topicArn).toList());
    assertThat(first.topics().size() + second.topics().size()).isEqualTo(151);
  }
}
