package dev.poolshift.local.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.json.LocalJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CloudWatch Logs API on the AWS JSON 1.1 wire, as the AWS CLI and the SDKs send it
 * ({@code X-Amz-Target: Logs_20140328.<Op>}): groups and streams as Lambda creates them, events
 * filtered by time, stream and pattern, pages whose tokens survive new events.
 */
class CloudWatchLogsServiceTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final String GROUP = "/aws/lambda/poolshift-rollout-steps";
  private static final String STREAM_A = "2026/06/01/[1]0123456789abcdef0123456789abcdef";
  private static final String STREAM_B = "2026/06/01/[1]fedcba9876543210fedcba9876543210";

  private final CloudWatchLogs logs = new CloudWatchLogs();
  private final Gateway gateway = Gateway.start(0);
  private final HttpClient http = HttpClient.newHttpClient();

  CloudWatchLogsServiceTest() {
    gateway.register(new CloudWatchLogsService(logs, AwsContext.DEFAULT));
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void describeLogGroupsListsTheGroupsLambdaCreatedWithTheirArns() throws Exception {
    logs.append(GROUP, STREAM_A, T0, "START RequestId: 1 Version: 1");
    logs.append("/aws/lambda/poolshift-approval-intake", STREAM_B, T0.plusSeconds(5), "hello");

    JsonNode out = call("DescribeLogGroups", LocalJson.object().put("logGroupNamePrefix", "/aws/lambda/poolshift-r"));

    assertThat(out.path("logGroups")).singleElement().satisfies(g -> {
      assertThat(g.path("logGroupName").asText()).isEqualTo(GROUP);
      assertThat(g.path("creationTime").asLong()).isEqualTo(T0.toEpochMilli());
      assertThat(g.path("logGroupArn").asText()).isEqualTo("arn:aws:logs:us-east-1:111122223333:log-group:" + GROUP);
      assertThat(g.path("arn").asText()).endsWith(GROUP + ":*");
    });
    assertThat(out.has("nextToken")).isFalse();
  }

  @Test
  void describeLogStreamsOrdersByLastEventTimeNewestFirst() throws Exception {
    logs.append(GROUP, STREAM_A, T0, "a1");
    logs.append(GROUP, STREAM_B, T0.plusSeconds(10), "b1");
    logs.append(GROUP, STREAM_A, T0.plusSeconds(20), "a2");

    JsonNode out = call("DescribeLogStreams", LocalJson.object().put("logGroupName", GROUP)
        .put("orderBy", "LastEventTime").put("descending", true));

    assertThat(out.path("logStreams").findValuesAsText("logStreamName")).containsExactly(STREAM_A, STREAM_B);
    assertThat(out.path("logStreams").get(0).path("lastEventTimestamp").asLong())
        .isEqualTo(T0.plusSeconds(20).toEpochMilli());
  }

  @Test
  void orderingByLastEventTimeWithAPrefixIsRefused() throws Exception {
    logs.append(GROUP, STREAM_A, T0, "a1");

    HttpResponse<String> reply = send("DescribeLogStreams", LocalJson.object().put("logGroupName", GROUP)
        .put("orderBy", "LastEventTime").put("logStreamNamePrefix", "2026"));

    assertThat(reply.statusCode()).isEqualTo(400);
    assertThat(LocalJson.parse(reply.body()).path("__type").asText()).isEqualTo("InvalidParameterException");
  }

  @Test
  void filterLogEventsInterleavesStreamsByTimeWithinTheWindowAndPattern() throws Exception {
    logs.append(GROUP, STREAM_A, T0, "{\"level\":\"INFO\",\"message\":\"plan\"}");
    logs.append(GROUP, STREAM_B, T0.plusSeconds(1), "{\"level\":\"ERROR\",\"message\":\"throttled\"}");
    logs.append(GROUP, STREAM_A, T0.plusSeconds(2), "{\"level\":\"ERROR\",\"message\":\"rolled back\"}");
    logs.append(GROUP, STREAM_B, T0.plusSeconds(3), "{\"level\":\"ERROR\",\"message\":\"late\"}");

    JsonNode out = call("FilterLogEvents", LocalJson.object().put("logGroupName", GROUP)
        .put("startTime", T0.toEpochMilli()).put("endTime", T0.plusSeconds(2).toEpochMilli())
        .put("filterPattern", "{ $.level = \"ERROR\" }"));

    assertThat(out.path("events").findValuesAsText("message"))
        .containsExactly("{\"level\":\"ERROR\",\"message\":\"throttled\"}", "{\"level\":\"ERROR\",\"message\":\"rolled back\"}");
    assertThat(out.path("events").findValuesAsText("logStreamName")).containsExactly(STREAM_B, STREAM_A);
  }

  @Test
  void filterLogEventsTokensNeitherRepeatNorSkipWhenEventsArriveBetweenPages() throws Exception {
    for (int i = 0; i < 5; i++) {
      logs.append(GROUP, STREAM_A, T0.plusSeconds(i), "line " + i);
    }
    ObjectNode request = LocalJson.object().put("logGroupName", GROUP).put("limit", 2);
    List<String> seen = new ArrayList<>();

    JsonNode page = call("FilterLogEvents", request);
    page.path("events").forEach(e -> seen.add(e.path("message").asText()));
    logs.append(GROUP, STREAM_B, T0.plusSeconds(10), "line 10");
    while (page.hasNonNull("nextToken")) {
      page = call("FilterLogEvents", request.deepCopy().put("nextToken", page.get("nextToken").asText()));
      page.path("events").forEach(e -> seen.add(e.path("message").asText()));
    }

    assertThat(seen).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 10");
  }

  @Test
  void theSameEventKeepsItsIdAcrossCallsSoTailFollowCanDeduplicate() throws Exception {
    logs.append(GROUP, STREAM_A, T0, "once");
    ObjectNode request = LocalJson.object().put("logGroupName", GROUP).put("startTime", T0.toEpochMilli());

    String first = call("FilterLogEvents", request).path("events").get(0).path("eventId").asText();
    logs.append(GROUP, STREAM_A, T0, "twice");
    JsonNode again = call("FilterLogEvents", request).path("events");

    assertThat(again.get(0).path("eventId").asText()).isEqualTo(first);
    assertThat(again.get(1).path("eventId").asText()).isNotEqualTo(first);
  }

  @Test
  void aLogGroupThatDoesNotExistIsResourceNotFound() throws Exception {
    HttpResponse<String> reply = send("FilterLogEvents", LocalJson.object().put("logGroupName", "/aws/lambda/nope"));

    assertThat(reply.statusCode()).isEqualTo(400);
    assertThat(LocalJson.parse(reply.body()).path("__type").asText()).isEqualTo("ResourceNotFoundException");
  }

  @Test
  void aLimitOutsideItsRangeAndAPatternCloudWatchRefusesAreInvalidParameters() throws Exception {
    logs.append(GROUP, STREAM_A, T0, "x");

    HttpResponse<String> limit = send("FilterLogEvents", LocalJson.object().put("logGroupName", GROUP).put("limit", 10001));
    HttpResponse<String> pattern = send("FilterLogEvents", LocalJson.object().put("logGroupName", GROUP)
        .put("filterPattern", "rollout.started"));
    HttpResponse<String> token = send("FilterLogEvents", LocalJson.object().put("logGroupName", GROUP)
        .put("nextToken", "made-up"));

    assertThat(List.of(limit, pattern, token)).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(LocalJson.parse(r.body()).path("__type").asText()).isEqualTo("InvalidParameterException");
    });
  }

  @Test
  void getLogEventsReadsAStreamForwardAndReturnsTheSameTokenAtItsEnd() throws Exception {
    for (int i = 0; i < 3; i++) {
      logs.append(GROUP, STREAM_A, T0.plusSeconds(i), "line " + i);
    }
    ObjectNode request = LocalJson.object().put("logGroupName", GROUP).put("logStreamName", STREAM_A)
        .put("startFromHead", true).put("limit", 2);

    JsonNode first = call("GetLogEvents", request);
    JsonNode second = call("GetLogEvents", request.deepCopy().put("nextToken", first.path("nextForwardToken").asText()));
    JsonNode end = call("GetLogEvents", request.deepCopy().put("nextToken", second.path("nextForwardToken").asText()));
    logs.append(GROUP, STREAM_A, T0.plusSeconds(9), "line 9");
    JsonNode more = call("GetLogEvents", request.deepCopy().put("nextToken", end.path("nextForwardToken").asText()));

    assertThat(first.path("events").findValuesAsText("message")).containsExactly("line 0", "line 1");
    assertThat(second.path("events").findValuesAsText("message")).containsExactly("line 2");
    assertThat(end.path("events")).isEmpty();
    assertThat(end.path("nextForwardToken").asText()).isEqualTo(second.path("nextForwardToken").asText());
    assertThat(more.path("events").findValuesAsText("message")).containsExactly("line 9");
  }

  @Test
  void getLogEventsWithoutATokenStartsAtTheEndOfTheStream() throws Exception {
    for (int i = 0; i < 3; i++) {
      logs.append(GROUP, STREAM_A, T0.plusSeconds(i), "line " + i);
    }

    JsonNode last = call("GetLogEvents", LocalJson.object().put("logGroupName", GROUP).put("logStreamName", STREAM_A)
        .put("limit", 2));
    JsonNode before = call("GetLogEvents", LocalJson.object().put("logGroupName", GROUP).put("logStreamName", STREAM_A)
        .put("nextToken", last.path("nextBackwardToken").asText()));

    assertThat(last.path("events").findValuesAsText("message")).containsExactly("line 1", "line 2");
    assertThat(before.path("events").findValuesAsText("message")).containsExactly("line 0");
  }

  private JsonNode call(String operation, ObjectNode request) throws IOException, InterruptedException {
    HttpResponse<String> reply = send(operation, request);
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return LocalJson.parse(reply.body());
  }

  private HttpResponse<String> send(String operation, ObjectNode request) throws IOException, InterruptedException {
    HttpRequest r = HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "Logs_20140328." + operation)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260601/us-east-1/logs/aws4_request, "
            + "SignedHeaders=host, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString(LocalJson.write(request))).build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }
}
