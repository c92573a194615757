package dev.poolshift.local.sns;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.AwsService;
import dev.poolshift.local.http.Doc;
import dev.poolshift.local.http.HttpCall;
import dev.poolshift.local.http.HttpReply;
import dev.poolshift.local.http.Paging;
import dev.poolshift.local.http.QueryProtocol;
import dev.poolshift.local.http.RequestParams;
import dev.poolshift.local.http.UnknownOperationException;
import dev.poolshift.local.observe.RuntimeEvent;
import dev.poolshift.local.observe.RuntimeEvents;
import dev.poolshift.local.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Amazon SNS on the AWS Query protocol (what every SNS client speaks): topics, subscriptions and
 * Publish, which is how Poolshift tells on-call what changed. Published messages are kept so a rehearsal
 * (and a test) can read what a person would have received; nothing is delivered onwards.
 */
public final class SnsService implements AwsService {
  static final String XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";
  /** SNS rejects messages over 256 KB. */
  static final int MAX_MESSAGE_BYTES = 262_144;
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}(\\.fifo)?");

  /** ListTopics and ListSubscriptionsByTopic return up to 100 items a page. */
  static final int PAGE_SIZE = 100;
  private static final java.util.Set<String> PROTOCOLS = java.util.Set.of("http", "https", "email", "email-json", "sms",
      "sqs", "application", "lambda", "firehose");
  private static final java.util.Set<String> CONFIRMATION_NEEDED = java.util.Set.of("http", "https", "email",
      "email-json");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  /** A subscription; {@code confirmed} false while it waits for the endpoint to confirm. */
  public record Subscription(String arn, String topicArn, String protocol, String endpoint, boolean confirmed,
      long sequence) {}

  /** A message as SNS accepted it. */
  public record Message(String messageId, String topicArn, String subject, String message, Instant at) {}

  private final Simulation sim;
  private final AwsContext aws;
  private final RuntimeEvents watchers;
  private final Map<String, String> topics = new LinkedHashMap<>();
  private final List<Message> published = new ArrayList<>();
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private long sequence;

  public SnsService(Simulation sim, AwsContext aws) {
    this(sim, aws, new RuntimeEvents());
  }

  /** As the two-argument constructor, telling {@code watchers} each message accepted. */
  public SnsService(Simulation sim, AwsContext aws, RuntimeEvents watchers) {
    this.sim = sim;
    this.aws = aws;
    this.watchers = watchers;
  }

  @Override
  public String signingName() {
    return "sns";
  }

  /** Creates a topic (as the stack does for the template's topics); returns its ARN. */
  public synchronized String createTopic(String name) {
    if (!TOPIC_NAME.matcher(name).matches()) {
      throw AwsServiceException.client("InvalidParameter", "Invalid parameter: Topic Name");
    }
    String arn = aws.arn("sns", name);
    topics.putIfAbsent(arn, name);
    return arn;
  }

  /**
   * DeleteTopic: the topic and its subscriptions go; deleting a topic that does not exist succeeds,
   * as SNS documents the action to be idempotent. Published messages stay for reports.
   */
  private synchronized void deleteTopic(String topicArn) {
    topics.remove(topicArn);
    subscriptions.values().removeIf(sub -> sub.topicArn().equals(topicArn));
  }

  /** Every message published so far, oldest first. */
  public synchronized List<Message> published() {
    return List.copyOf(published);
  }

  @Override
  public HttpReply handle(HttpCall call) {
    return QueryProtocol.serve(call, XMLNS, "2010-03-31", this::invoke);
  }

  private Doc.Struct invoke(String action, RequestParams params) {
    return switch (action) {
      case "Publish" -> Doc.struct().put("MessageId", publish(params));
      case "CreateTopic" -> Doc.struct().put("TopicArn", createTopic(required(params, "Name")));
      case "DeleteTopic" -> {
        deleteTopic(required(params, "TopicArn"));
        yield null;
      }
      case "ListTopics" -> listTopics(params);
      case "Subscribe" -> Doc.struct().put("SubscriptionArn", subscribe(params));
      case "GetTopicAttributes" -> Doc.struct().put("Attributes", topicAttributes(required(params, "TopicArn")));
      case "ListSubscriptionsByTopic" -> listSubscriptionsByTopic(params);
      default -> throw new UnknownOperationException(action);
    };
  }

  private synchronized Doc.Struct listTopics(RequestParams params) {
    String token = params.string("NextToken");
    Paging.Page<String> page = Paging.page(List.copyOf(topics.keySet()), arn -> arn, PAGE_SIZE, token,
        () -> invalidToken(token));
    Doc.Struct out = Doc.struct();
    Doc.ListValue list = out.list("Topics");
    page.items().forEach(arn -> list.addStruct().put("TopicArn", arn));
    return out.put("NextToken", page.nextToken());
  }

  private static AwsServiceException invalidToken(String token) {
    return AwsServiceException.client("InvalidParameter", "Invalid parameter: NextToken");
  }

  /**
   * Subscribe as SNS answers it: the same protocol and endpoint on a topic is the same
   * subscription; SQS, Lambda, Firehose, application and SMS subscriptions in the account are
   * confirmed at once, email and HTTP(S) ones wait for a confirmation that never comes locally
   * (nothing is delivered), so they stay "pending confirmation".
   */
  private synchronized String subscribe(RequestParams params) {
    String topicArn = required(params, "TopicArn");
    String protocol = required(params, "Protocol");
    if (!PROTOCOLS.contains(protocol)) {
      throw AwsServiceException.client("InvalidParameter",
          "Invalid parameter: Amazon SNS does not support this protocol string: " + protocol);
    }
    String endpoint = params.string("Endpoint");
    if (endpoint == null || endpoint.isEmpty()) {
      throw AwsServiceException.client("InvalidParameter", "Invalid parameter: Endpoint");
    }
    switch (protocol) {
      case "email", "email-json" -> {
        if (!EMAIL.matcher(endpoint).matches()) {
          throw AwsServiceException.client("InvalidParameter", "Invalid parameter: Email address");
        }
      }
      case "http", "https" -> {
        if (!endpoint.startsWith(protocol + "://")) {
          throw AwsServiceException.client("InvalidParameter", "Invalid parameter: Endpoint must match the specified "
              + "protocol");
        }
      }
      case "sqs", "lambda", "firehose", "application" -> {
        if (!endpoint.startsWith("arn:")) {
          throw AwsServiceException.client("InvalidParameter", "Invalid parameter: " + protocol.toUpperCase(
              java.util.Locale.ROOT) + " endpoint ARN");
        }
      }
      default -> { }
    }
    if (!topics.containsKey(topicArn)) {
      throw new AwsServiceException(404, "NotFound", "Topic does not exist");
    }
    boolean returnArn = Boolean.TRUE.equals(params.bool("ReturnSubscriptionArn"));
    Subscription existing = subscriptions.values().stream()
        .filter(sub -> sub.topicArn().equals(topicArn) && sub.protocol().equals(protocol)
            && sub.endpoint().equals(endpoint)).findFirst().orElse(null);
    Subscription sub = existing != null ? existing : new Subscription(topicArn + ":" + UUID.randomUUID(), topicArn,
        protocol, endpoint, !CONFIRMATION_NEEDED.contains(protocol), sequence++);
    subscriptions.putIfAbsent(sub.arn(), sub);
    return sub.confirmed() || returnArn ? sub.arn() : "pending confirmation";
  }

  private synchronized Doc.MapValue topicAttributes(String topicArn) {
    if (!topics.containsKey(topicArn)) {
      throw new AwsServiceException(404, "NotFound", "Topic does not exist");
    }
    long confirmed = subscriptions.values().stream().filter(sub -> sub.topicArn().equals(topicArn) && sub.confirmed())
        .count();
    long pending = subscriptions.values().stream().filter(sub -> sub.topicArn().equals(topicArn) && !sub.confirmed())
        .count();
    Doc.MapValue attributes = new Doc.MapValue()
        .put("Policy", defaultPolicy(topicArn))
        .put("Owner", aws.accountId())
        .put("SubscriptionsPending", Long.toString(pending))
        .put("TopicArn", topicArn)
        .put("EffectiveDeliveryPolicy", "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,"
            + "\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,"
            + "\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false,"
            + "\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}")
        .put("SubscriptionsConfirmed", Long.toString(confirmed))
        .put("DisplayName", "")
        .put("SubscriptionsDeleted", "0");
    if (topicArn.endsWith(".fifo")) {
      attributes.put("FifoTopic", "true").put("ContentBasedDeduplication", "false");
    }
    return attributes;
  }

  private String defaultPolicy(String topicArn) {
    return "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":"
        + "\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":"
        + "[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\",\"SNS:AddPermission\",\"SNS:RemovePermission\","
        + "\"SNS:DeleteTopic\",\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\",\"SNS:Publish\"],\"Resource\":\""
        + topicArn + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"" + aws.accountId() + "\"}}}]}";
  }

  private synchronized Doc.Struct listSubscriptionsByTopic(RequestParams params) {
    String topicArn = required(params, "TopicArn");
    if (!topics.containsKey(topicArn)) {
      throw new AwsServiceException(404, "NotFound", "Topic does not exist");
    }
    String token = params.string("NextToken");
    List<Subscription> mine = subscriptions.values().stream().filter(sub -> sub.topicArn().equals(topicArn)).toList();
    Paging.Page<Subscription> page = Paging.page(mine, sub -> Paging.ascending(sub.sequence()), PAGE_SIZE, token,
        () -> invalidToken(token));
    Doc.Struct out = Doc.struct();
    Doc.ListValue list = out.list("Subscriptions");
    for (Subscription sub : page.items()) {
      list.addStruct().put("SubscriptionArn", sub.confirmed() ? sub.arn() : "PendingConfirmation")
          .put("Owner", aws.accountId()).put("Protocol", sub.protocol()).put("Endpoint", sub.endpoint())
          .put("TopicArn", sub.topicArn());
    }
    return out.put("NextToken", page.nextToken());
  }

  /** The subscriptions of {@code topicArn}, oldest first (for tests and reports). */
  public synchronized List<Subscription> subscriptions(String topicArn) {
    return subscriptions.values().stream().filter(sub -> sub.topicArn().equals(topicArn))
        .sorted(java.util.Comparator.comparingLong(Subscription::sequence)).toList();
  }

  private String publish(RequestParams params) {
    String topicArn = params.string("TopicArn") != null ? params.string("TopicArn") : params.string("TargetArn");
    if (topicArn == null) {
      throw AwsServiceException.client("InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
    }
    String message = required(params, "Message");
    if (message.isEmpty()) {
      throw AwsServiceException.client("InvalidParameter", "Invalid parameter: Empty message");
    }
    if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
      throw AwsServiceException.client("InvalidParameter", "Invalid parameter: Message too long");
    }
    String subject = params.string("Subject");
    if (subject != null && (subject.length() > 100 || subject.chars().anyMatch(c -> c < 0x20))) {
      throw AwsServiceException.client("InvalidParameter", "Invalid parameter: Subject");
    }
    Message accepted;
    synchronized (this) {
      if (!topics.containsKey(topicArn)) {
        throw new AwsServiceException(404, "NotFound", "Topic does not exist");
      }
      accepted = new Message(UUID.randomUUID().toString(), topicArn, subject, message, sim.now());
      published.add(accepted);
    }
    watchers.publish(new RuntimeEvent.SnsPublished(accepted.at(), topicArn, subject, message, accepted.messageId()));
    return accepted.messageId();
  }

  private static String required(RequestParams params, String name) {
    String v = params.string(name);
    if (v == null) {
      throw AwsServiceException.client("InvalidParameter", "Invalid parameter: " + name + " Reason: no value for required parameter");
    }
    return v;
  }
}
