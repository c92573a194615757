package dev.poolshift.local.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.http.Paging;
import dev.poolshift.local.http.UnknownOperationException;
import dev.poolshift.local.json.LocalJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs on the AWS JSON 1.1 wire ({@code X-Amz-Target: Logs_20140328.<Operation>}): the
 * reads a person uses to look at a function's logs, {@code DescribeLogGroups},
 * {@code DescribeLogStreams}, {@code FilterLogEvents} (what {@code aws logs tail} and its
 * {@code --follow} poll) and {@code GetLogEvents}. Times are virtual epoch milliseconds.
 *
 * <p>Pages follow {@link Paging}: a token holds the key of the last item returned, so events
 * written between two calls are neither repeated nor skipped. FilterLogEvents and GetLogEvents
 * stop a page at {@code limit} events (default 10,000) or at 1 MB of messages, as AWS does.
 * Errors are {@code InvalidParameterException} and {@code ResourceNotFoundException}, as AWS
 * names them; a value outside a member's documented range is an {@code InvalidParameterException}.
 */
public final class CloudWatchLogsService extends JsonProtocolService {
  static final int DESCRIBE_LIMIT = 50;
  static final int EVENTS_LIMIT = 10_000;
  static final int PAGE_BYTES = 1_048_576;
  private static final Pattern GROUP_ARN = Pattern.compile("arn:[^:]+:logs:[^:]+:[^:]+:log-group:(.+?)(:\\*)?");
  private static final Set<String> GROUP_CLASSES = Set.of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY");

  private final CloudWatchLogs logs;
  private final AwsContext aws;

  public CloudWatchLogsService(CloudWatchLogs logs, AwsContext aws) {
    super("1.1");
    this.logs = logs;
    this.aws = aws;
  }

  @Override
  public String signingName() {
    return "logs";
  }

  @Override
  public String targetPrefix() {
    return "Logs_20140328";
  }

  @Override
  protected JsonNode dispatch(String operation, ObjectNode request) {
    return switch (operation) {
      case "DescribeLogGroups" -> describeLogGroups(request);
      case "DescribeLogStreams" -> describeLogStreams(request);
      case "FilterLogEvents" -> filterLogEvents(request);
      case "GetLogEvents" -> getLogEvents(request);
      default -> throw new UnknownOperationException(operation);
    };
  }

  // ---------------------------------------------------------------- groups and streams

  private JsonNode describeLogGroups(ObjectNode request) {
    int limit = limit(request, DESCRIBE_LIMIT, DESCRIBE_LIMIT);
    String prefix = text(request, "logGroupNamePrefix");
    String pattern = text(request, "logGroupNamePattern");
    if (prefix != null && pattern != null) {
      throw invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
    }
    if (request.path("accountIdentifiers").size() > 0 || request.path("includeLinkedAccounts").asBoolean(false)) {
      // Cross-account observability has no local meaning: refused rather than silently ignored.
      throw invalid("cross-account observability (accountIdentifiers, includeLinkedAccounts) is not simulated locally");
    }
    String groupClass = text(request, "logGroupClass");
    if (groupClass != null && !GROUP_CLASSES.contains(groupClass)) {
      throw invalid("1 validation error detected: Value '" + groupClass + "' at 'logGroupClass' failed to satisfy "
          + "constraint: Member must satisfy enum value set: " + GROUP_CLASSES);
    }
    Set<String> identifiers = new java.util.HashSet<>();
    request.path("logGroupIdentifiers").forEach(n -> identifiers.add(groupName(n.asText())));
    List<CloudWatchLogs.Group> groups = logs.groups().stream()
        .filter(g -> prefix == null || g.name().startsWith(prefix))
        .filter(g -> pattern == null || g.name().toLowerCase(Locale.ROOT).contains(pattern.toLowerCase(Locale.ROOT)))
        .filter(g -> identifiers.isEmpty() || identifiers.contains(g.name()))
        // Lambda's groups are all of the Standard class.
        .filter(g -> groupClass == null || groupClass.equals("STANDARD"))
        .toList();
    Paging.Page<CloudWatchLogs.Group> page = page(groups, CloudWatchLogs.Group::name, limit, request);
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("logGroups");
    for (CloudWatchLogs.Group g : page.items()) {
      String arn = groupArn(g.name());
      list.addObject().put("logGroupName", g.name()).put("creationTime", g.creationTime()).put("metricFilterCount", 0)
          .put("arn", arn + ":*").put("storedBytes", g.storedBytes()).put("logGroupClass", "STANDARD")
          .put("logGroupArn", arn);
    }
    return withToken(out, page);
  }

  private JsonNode describeLogStreams(ObjectNode request) {
    CloudWatchLogs.Group group = group(request);
    int limit = limit(request, DESCRIBE_LIMIT, DESCRIBE_LIMIT);
    String prefix = text(request, "logStreamNamePrefix");
    String orderBy = request.path("orderBy").asText("LogStreamName");
    if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
      throw invalid("1 validation error detected: Value '" + orderBy + "' at 'orderBy' failed to satisfy constraint: "
          + "Member must satisfy enum value set: [LastEventTime, LogStreamName]");
    }
    boolean byTime = orderBy.equals("LastEventTime");
    if (byTime && prefix != null) {
      throw invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    boolean descending = request.path("descending").asBoolean(false);
    List<CloudWatchLogs.Stream> streams = group.streams().values().stream()
        .filter(s -> prefix == null || s.name().startsWith(prefix)).toList();
    Function<CloudWatchLogs.Stream, String> key = byTime
        ? s -> Paging.ascending(s.lastEventTimestamp() == null ? 0 : s.lastEventTimestamp()) + "/" + s.name()
        : CloudWatchLogs.Stream::name;
    Function<CloudWatchLogs.Stream, String> ordered = descending ? s -> Paging.descending(key.apply(s)) : key;
    Paging.Page<CloudWatchLogs.Stream> page = page(streams, ordered, limit, request);
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("logStreams");
    for (CloudWatchLogs.Stream s : page.items()) {
      ObjectNode o = list.addObject().put("logStreamName", s.name()).put("creationTime", s.creationTime());
      if (s.firstEventTimestamp() != null) {
        o.put("firstEventTimestamp", s.firstEventTimestamp()).put("lastEventTimestamp", s.lastEventTimestamp())
            .put("lastIngestionTime", s.lastIngestionTime());
      }
      // storedBytes is deprecated and always 0 on AWS.
      o.put("arn", groupArn(group.name()) + ":log-stream:" + s.name()).put("storedBytes", 0);
    }
    return withToken(out, page);
  }

  // ---------------------------------------------------------------- events

  private JsonNode filterLogEvents(ObjectNode request) {
    CloudWatchLogs.Group group = group(request);
    int limit = limit(request, EVENTS_LIMIT, EVENTS_LIMIT);
    List<String> names = new ArrayList<>();
    request.path("logStreamNames").forEach(n -> names.add(n.asText()));
    String prefix = text(request, "logStreamNamePrefix");
    if (!names.isEmpty() && prefix != null) {
      throw invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
    }
    if (request.has("logStreamNames") && (names.isEmpty() || names.size() > 100)) {
      throw invalid("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: "
          + "Member must have length between 1 and 100");
    }
    Long start = time(request, "startTime");
    Long end = time(request, "endTime");
    FilterPattern pattern = pattern(text(request, "filterPattern"));
    List<CloudWatchLogs.Event> events = group.streams().values().stream()
        .filter(s -> names.isEmpty() || names.contains(s.name()))
        .filter(s -> prefix == null || s.name().startsWith(prefix))
        .flatMap(s -> s.events().stream())
        // Both ends are inclusive for FilterLogEvents.
        .filter(e -> (start == null || e.timestamp() >= start) && (end == null || e.timestamp() <= end))
        .filter(e -> pattern.matches(e.message()))
        .toList();
    Paging.Page<CloudWatchLogs.Event> page = cappedPage(events, CloudWatchLogsService::eventKey, limit,
        text(request, "nextToken"), () -> invalid("The specified nextToken is invalid."));
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("events");
    for (CloudWatchLogs.Event e : page.items()) {
      list.addObject().put("logStreamName", e.stream()).put("timestamp", e.timestamp()).put("message", e.message())
          .put("ingestionTime", e.ingestionTime()).put("eventId", e.eventId());
    }
    out.putArray("searchedLogStreams");
    return withToken(out, page);
  }

  /**
   * GetLogEvents reads one stream. Without a token it starts at the stream's end (the newest
   * {@code limit} events) unless {@code startFromHead}; {@code nextForwardToken} reads on after
   * the last event returned and {@code nextBackwardToken} before the first, and at the end of the
   * stream the forward token comes back unchanged, as documented. Tokens are {@code f/} or
   * {@code b/} and the event's ingestion number, so they stay valid as the stream grows.
   */
  private JsonNode getLogEvents(ObjectNode request) {
    CloudWatchLogs.Group group = group(request);
    String streamName = text(request, "logStreamName");
    if (streamName == null) {
      throw invalid("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: "
          + "Member must not be null");
    }
    CloudWatchLogs.Stream stream = group.streams().get(streamName);
    if (stream == null) {
      throw notFound("The specified log stream does not exist.");
    }
    int limit = limit(request, EVENTS_LIMIT, EVENTS_LIMIT);
    Long start = time(request, "startTime");
    Long end = time(request, "endTime");
    // endTime is exclusive for GetLogEvents.
    List<CloudWatchLogs.Event> events = stream.events().stream()
        .filter(e -> (start == null || e.timestamp() >= start) && (end == null || e.timestamp() < end)).toList();
    String token = text(request, "nextToken");
    boolean forward;
    long position;
    if (token == null) {
      forward = request.path("startFromHead").asBoolean(false);
      position = forward ? 0 : Long.MAX_VALUE;
    } else {
      Matcher m = Pattern.compile("([fb])/(\\d{19})").matcher(token);
      if (!m.matches()) {
        throw invalid("The specified nextToken is invalid.");
      }
      forward = m.group(1).equals("f");
      position = Long.parseLong(m.group(2));
    }
    List<CloudWatchLogs.Event> chosen;
    if (forward) {
      chosen = fitting(events.stream().filter(e -> e.sequence() > position).toList(), limit, false);
    } else {
      chosen = fitting(events.stream().filter(e -> e.sequence() < position).toList(), limit, true);
    }
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("events");
    chosen.forEach(e -> list.addObject().put("timestamp", e.timestamp()).put("message", e.message())
        .put("ingestionTime", e.ingestionTime()));
    String forwardToken;
    String backwardToken;
    if (!chosen.isEmpty()) {
      forwardToken = "f/" + Paging.ascending(chosen.getLast().sequence());
      backwardToken = "b/" + Paging.ascending(chosen.getFirst().sequence());
    } else if (token == null) {
      forwardToken = "f/" + Paging.ascending(0);
      backwardToken = "b/" + Paging.ascending(0);
    } else if (forward) {
      // At the end: the same token again, and the way back starts from there.
      forwardToken = token;
      backwardToken = "b/" + Paging.ascending(position + 1);
    } else {
      backwardToken = token;
      forwardToken = "f/" + Paging.ascending(Math.max(0, position - 1));
    }
    out.put("nextForwardToken", forwardToken);
    out.put("nextBackwardToken", backwardToken);
    return out;
  }

  /** The first (or, {@code fromEnd}, last) events that fit in {@code limit} and 1 MB, in time order. */
  private static List<CloudWatchLogs.Event> fitting(List<CloudWatchLogs.Event> events, int limit, boolean fromEnd) {
    List<CloudWatchLogs.Event> out = new ArrayList<>();
    int bytes = 0;
    for (int i = 0; i < events.size() && out.size() < limit; i++) {
      CloudWatchLogs.Event e = events.get(fromEnd ? events.size() - 1 - i : i);
      if (bytes + e.bytes() > PAGE_BYTES && !out.isEmpty()) {
        break;
      }
      bytes += e.bytes();
      out.add(e);
    }
    if (fromEnd) {
      java.util.Collections.reverse(out);
    }
    return out;
  }

  private static String eventKey(CloudWatchLogs.Event e) {
    // Sorted by timestamp, then by ingestion order, as FilterLogEvents returns them.
    return Paging.ascending(e.timestamp()) + Paging.ascending(e.sequence());
  }

  /** A page of at most {@code limit} items whose messages fit in 1 MB. */
  private static Paging.Page<CloudWatchLogs.Event> cappedPage(List<CloudWatchLogs.Event> events,
      Function<CloudWatchLogs.Event, String> key, int limit, String token,
      java.util.function.Supplier<AwsServiceException> badToken) {
    Paging.Page<CloudWatchLogs.Event> page = Paging.page(events, key, limit, token, badToken);
    int fit = fitting(page.items(), limit, false).size();
    return fit == page.items().size() ? page : Paging.page(events, key, fit, token, badToken);
  }

  // ---------------------------------------------------------------- parameters

  /** The group named by exactly one of {@code logGroupName} and {@code logGroupIdentifier}. */
  private CloudWatchLogs.Group group(ObjectNode request) {
    String name = text(request, "logGroupName");
    String identifier = text(request, "logGroupIdentifier");
    if ((name == null) == (identifier == null)) {
      throw invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters: specify exactly one of "
          + "logGroupName and logGroupIdentifier.");
    }
    String wanted = name != null ? name : groupName(identifier);
    return logs.group(wanted).orElseThrow(() -> notFound("The specified log group does not exist."));
  }

  /** A log group name from a name or an ARN ({@code arn:aws:logs:region:account:log-group:NAME[:*]}). */
  private String groupName(String identifier) {
    Matcher m = GROUP_ARN.matcher(identifier);
    return m.matches() ? m.group(1) : identifier;
  }

  private String groupArn(String name) {
    return aws.arn("logs", "log-group:" + name);
  }

  private static FilterPattern pattern(String text) {
    if (text != null && text.length() > 1024) {
      throw invalid("1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must "
          + "have length less than or equal to 1024");
    }
    try {
      return FilterPattern.parse(text);
    } catch (FilterPattern.InvalidPatternException e) {
      throw invalid(e.getMessage());
    }
  }

  private static <T> Paging.Page<T> page(List<T> items, Function<T, String> key, int limit, ObjectNode request) {
    return Paging.page(items, key, limit, text(request, "nextToken"),
        () -> invalid("The specified nextToken is invalid."));
  }

  private static ObjectNode withToken(ObjectNode out, Paging.Page<?> page) {
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  private static int limit(ObjectNode request, int defaultSize, int max) {
    JsonNode n = request.get("limit");
    Integer requested = n == null || n.isNull() ? null : n.asInt();
    return Paging.limit(requested, defaultSize, 1, max, v -> invalid("1 validation error detected: Value '" + v
        + "' at 'limit' failed to satisfy constraint: Member must have value "
        + (v < 1 ? "greater than or equal to 1" : "less than or equal to " + max)));
  }

  private static Long time(ObjectNode request, String field) {
    JsonNode n = request.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.canConvertToLong() || n.asLong() < 0) {
      throw invalid("1 validation error detected: Value '" + n.asText() + "' at '" + field
          + "' failed to satisfy constraint: Member must have value greater than or equal to 0");
    }
    return n.asLong();
  }

  private static String text(ObjectNode request, String field) {
    JsonNode n = request.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static AwsServiceException invalid(String message) {
    return AwsServiceException.client("InvalidParameterException", message);
  }

  private static AwsServiceException notFound(String message) {
    return AwsServiceException.client("ResourceNotFoundException", message);
  }
}
