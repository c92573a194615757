package dev.poolshift.local.sns;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.AwsService;
import dev.poolshift.local.http.HttpCall;
import dev.poolshift.local.http.HttpReply;
import dev.poolshift.local.http.QueryParams;
import dev.poolshift.local.http.XmlWriter;
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
 * Amazon SNS on the AWS Query protocol (what SDK 2.40.2's SnsClient speaks): topics and Publish,
 * which is how Poolshift tells on-call what changed. Published messages are kept so a rehearsal
 * (and a test) can read what a person would have received; nothing is delivered onwards.
 */
public final class SnsService implements AwsService {
  static final String XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";
  /** SNS rejects messages over 256 KB. */
  static final int MAX_MESSAGE_BYTES = 262_144;
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}(\\.fifo)?");

  /** A message as SNS accepted it. */
  public record Message(String messageId, String topicArn, String subject, String message, Instant at) {}

  private final Simulation sim;
  private final AwsContext aws;
  private final Map<String, String> topics = new LinkedHashMap<>();
  private final List<Message> published = new ArrayList<>();

  public SnsService(Simulation sim, AwsContext aws) {
    this.sim = sim;
    this.aws = aws;
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

  /** Every message published so far, oldest first. */
  public synchronized List<Message> published() {
    return List.copyOf(published);
  }

  @Override
  public HttpReply handle(HttpCall call) {
    String requestId = UUID.randomUUID().toString();
    try {
      QueryParams params = QueryParams.parse(call.body().length > 0 ? call.bodyText() : call.query());
      String action = params.string("Action");
      if (action == null) {
        throw AwsServiceException.client("MissingAction", "The request must contain the parameter Action.");
      }
      XmlWriter xml = new XmlWriter().start(action + "Response", XMLNS);
      switch (action) {
        case "Publish" -> xml.start("PublishResult").leaf("MessageId", publish(params)).end();
        case "CreateTopic" -> xml.start("CreateTopicResult").leaf("TopicArn", createTopic(required(params, "Name"))).end();
        case "ListTopics" -> {
          xml.start("ListTopicsResult").start("Topics");
          for (String arn : topicArns()) {
            xml.start("member").leaf("TopicArn", arn).end();
          }
          xml.end().end();
        }
        default -> throw AwsServiceException.client("InvalidAction", "Could not find operation " + action + " for version 2010-03-31");
      }
      xml.start("ResponseMetadata").leaf("RequestId", requestId).end().end();
      return new HttpReply(200, "text/xml", Map.of("x-amzn-RequestId", requestId), xml.toString().getBytes(StandardCharsets.UTF_8));
    } catch (AwsServiceException e) {
      return XmlWriter.errorReply(XMLNS, requestId, e.status(), e.code(), e.getMessage());
    }
  }

  private synchronized List<String> topicArns() {
    return List.copyOf(topics.keySet());
  }

  private String publish(QueryParams params) {
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
    synchronized (this) {
      if (!topics.containsKey(topicArn)) {
        throw new AwsServiceException(404, "NotFound", "Topic does not exist");
      }
      String id = UUID.randomUUID().toString();
      published.add(new Message(id, topicArn, subject, message, sim.now()));
      return id;
    }
  }

  private static String required(QueryParams params, String name) {
    String v = params.string(name);
    if (v == null) {
      throw AwsServiceException.client("InvalidParameter", "Invalid parameter: " + name + " Reason: no value for required parameter");
    }
    return v;
  }
}
