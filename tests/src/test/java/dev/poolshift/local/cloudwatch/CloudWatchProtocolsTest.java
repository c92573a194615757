package dev.poolshift.local.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import dev.poolshift.local.json.LocalJson;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * CloudWatch's three wire protocols over one set of operations: the AWS Query protocol (SDK 2.40.2
 * here), AWS JSON 1.0 and Smithy RPC v2 CBOR (raw requests as the newer clients send them), and
 * GetMetricStatistics on all three.
 */
class CloudWatchProtocolsTest {
  private static final String TARGET = CloudWatchHarness.TARGET;
  private final CloudWatchHarness h = new CloudWatchHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private void put(String metric, double value, Instant at, String unit) {
    h.cloudWatch.putMetricData("Smoke/Test", List.of(new MetricDatum(metric, List.of(), at, value, null, List.of(),
        List.of(), unit, null)));
  }

  private static JsonNode statisticsRequest(Instant from, Instant to) {
    var request = LocalJson.object().put("Namespace", "Smoke/Test").put("MetricName", "Latency")
        .put("StartTime", from.getEpochSecond()).put("EndTime", to.getEpochSecond()).put("Period", 60);
    request.putArray("Statistics").add("Average").add("Maximum");
    return request;
  }

  @Test
  void getMetricStatisticsAnswersTheSameDatapointOnQueryJsonAndCbor() throws Exception {
    Instant minute = h.sim.now().minusSeconds(120);
    put("Latency", 40, minute, "Milliseconds");
    put("Latency", 44, minute.plusSeconds(10), "Milliseconds");
    JsonNode request = statisticsRequest(minute.minusSeconds(600), h.sim.now());

    List<Datapoint> query = h.client.getMetricStatistics(b -> b.namespace("Smoke/Test").metricName("Latency")
        .startTime(minute.minusSeconds(600)).endTime(h.sim.now()).period(60)
        .statistics(Statistic.AVERAGE, Statistic.MAXIMUM)).datapoints();
    HttpResponse<byte[]> json = h.json("GetMetricStatistics", LocalJson.write(request));
    HttpResponse<byte[]> cbor = h.cbor("GetMetricStatistics", request);

    assertThat(query).singleElement().satisfies(d -> {
      assertThat(d.average()).isEqualTo(42.0);
      assertThat(d.maximum()).isEqualTo(44.0);
      assertThat(d.timestamp()).isEqualTo(minute);
      assertThat(d.unitAsString()).isEqualTo("Milliseconds");
    });
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
    JsonNode jsonPoint = LocalJson.parse(new String(json.body(), StandardCharsets.UTF_8)).path("Datapoints").get(0);
    assertThat(jsonPoint.path("Average").asDouble()).isEqualTo(42.0);
    assertThat(jsonPoint.path("Timestamp").isNumber()).as("JSON timestamps are epoch seconds").isTrue();
    assertThat(jsonPoint.path("Timestamp").asLong()).isEqualTo(minute.getEpochSecond());
    assertThat(cbor.statusCode()).isEqualTo(200);
    assertThat(cbor.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
    assertThat(cbor.headers().firstValue("Content-Type")).hasValue("application/cbor");
    JsonNode cborPoint = LocalJson.CBOR.readTree(cbor.body()).path("Datapoints").get(0);
    assertThat(cborPoint.path("Maximum").asDouble()).isEqualTo(44.0);
    assertThat(cborTagOf(cbor.body(), "Timestamp")).as("CBOR timestamps are tag 1").isEqualTo(1);
  }

  /** The CBOR tag on the value of the first field named {@code field}, or -1. */
  private static int cborTagOf(byte[] body, String field) throws Exception {
    try (CBORParser p = (CBORParser) LocalJson.CBOR.getFactory().createParser(body)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME && p.currentName().equals(field)) {
          p.nextToken();
          return p.getCurrentTag();
        }
      }
    }
    return -1;
  }

  @Test
  void errorsOnJsonAndCborNameTheShapeAndCarryTheQueryCode() throws Exception {
    JsonNode inverted = statisticsRequest(h.sim.now(), h.sim.now().minusSeconds(600));

    HttpResponse<byte[]> json = h.json("GetMetricStatistics", LocalJson.write(inverted));
    HttpResponse<byte[]> cbor = h.cbor("GetMetricStatistics", inverted);

    for (HttpResponse<byte[]> r : List.of(json, cbor)) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("x-amzn-query-error")).hasValue("InvalidParameterValue;Sender");
    }
    assertThat(LocalJson.parse(new String(json.body(), StandardCharsets.UTF_8)).path("__type").asText())
        .isEqualTo("com.amazonaws.cloudwatch#InvalidParameterValueException");
    assertThat(LocalJson.CBOR.readTree(cbor.body()).path("__type").asText())
        .isEqualTo("com.amazonaws.cloudwatch#InvalidParameterValueException");
    assertThat(cbor.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
  }

  @Test
  void aBodyOfTheWrongTypeIsASerializationException() throws Exception {
    HttpResponse<byte[]> r = h.json("GetMetricStatistics",
        "{\"Namespace\":\"Smoke/Test\",\"MetricName\":\"Latency\",\"StartTime\":\"yesterday\",\"Period\":60}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(LocalJson.parse(new String(r.body(), StandardCharsets.UTF_8)).path("__type").asText())
        .endsWith("SerializationException");
  }

  @Test
  void aCborRequestWithoutTheSmithyProtocolHeaderIsRefused() throws Exception {
    HttpResponse<byte[]> r = h.send("/service/" + TARGET + "/operation/ListMetrics", Map.of("Content-Type",
        "application/cbor"), LocalJson.CBOR.writeValueAsBytes(LocalJson.object()));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(LocalJson.CBOR.readTree(r.body()).path("__type").asText()).endsWith("SerializationException");
  }

  @Test
  void anUnknownOperationHasOneShapePerProtocol() throws Exception {
    HttpResponse<byte[]> query = h.send("/", Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "Action=DescribeNothing&Version=2010-08-01".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> json = h.json("DescribeNothing", "{}");
    HttpResponse<byte[]> cbor = h.cbor("DescribeNothing", LocalJson.object());

    assertThat(query.statusCode()).isEqualTo(400);
    assertThat(new String(query.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidAction</Code>")
        .contains("<Type>Sender</Type>");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(LocalJson.parse(new String(json.body(), StandardCharsets.UTF_8)).path("__type").asText())
        .endsWith("#UnknownOperationException");
    assertThat(cbor.statusCode()).isEqualTo(404);
    assertThat(LocalJson.CBOR.readTree(cbor.body()).path("__type").asText()).isEqualTo("UnknownOperationException");
  }

  @Test
  void aGzippedPutMetricDataIsStored() throws Exception {
    String form = "Action=PutMetricData&Version=2010-08-01&Namespace=Smoke%2FTest"
        + "&MetricData.member.1.MetricName=Zipped&MetricData.member.1.Value=7";
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(zipped)) {
      gz.write(form.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> r = h.send("/", Map.of("Content-Type", "application/x-www-form-urlencoded",
        "Content-Encoding", "gzip"), zipped.toByteArray());

    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(h.cloudWatch.metrics().metrics(null)).extracting(MetricKey::metricName).contains("Zipped");
  }

  @Test
  void getMetricStatisticsValidatesAsCloudWatchDoes() {
    Instant now = h.sim.now();
    assertThatThrownBy(() -> h.client.getMetricStatistics(b -> b.namespace("N").metricName("M").period(60)
        .startTime(now.minusSeconds(600)).endTime(now)))
        .isInstanceOf(InvalidParameterCombinationException.class).hasMessageContaining("Statistics or ExtendedStatistics");
    assertThatThrownBy(() -> h.client.getMetricStatistics(b -> b.namespace("N").metricName("M").period(60)
        .startTime(now.minusSeconds(600)).endTime(now).statistics(Statistic.SUM).extendedStatistics("p99")))
        .isInstanceOf(InvalidParameterCombinationException.class).hasMessageContaining("mutually exclusive");
    assertThatThrownBy(() -> h.client.getMetricStatistics(b -> b.namespace("N").metricName("M").period(60)
        .startTime(now.minusSeconds(60 * 1441)).endTime(now).statistics(Statistic.SUM)))
        .isInstanceOf(InvalidParameterCombinationException.class).hasMessageContaining("exceeds the limit of 1,440");
    assertThatThrownBy(() -> h.client.getMetricStatistics(b -> b.namespace("N").metricName("M").period(45)
        .startTime(now.minusSeconds(600)).endTime(now).statistics(Statistic.SUM)))
        .isInstanceOf(InvalidParameterValueException.class);
  }

  @Test
  void withoutAUnitEachPublishedUnitIsItsOwnDatapoint() {
    Instant minute = h.sim.now().minusSeconds(120);
    put("Size", 1, minute, "Bytes");
    put("Size", 2, minute, "Kilobytes");

    List<Datapoint> all = h.client.getMetricStatistics(b -> b.namespace("Smoke/Test").metricName("Size").period(60)
        .startTime(minute).endTime(h.sim.now()).statistics(Statistic.SUM)).datapoints();
    List<Datapoint> bytes = h.client.getMetricStatistics(b -> b.namespace("Smoke/Test").metricName("Size").period(60)
        .startTime(minute).endTime(h.sim.now()).statistics(Statistic.SUM).unit("Bytes")).datapoints();

    assertThat(all).extracting(Datapoint::unitAsString, Datapoint::sum)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("Bytes", 1.0),
            org.assertj.core.groups.Tuple.tuple("Kilobytes", 2.0));
    assertThat(bytes).singleElement().satisfies(d -> assertThat(d.sum()).isEqualTo(1.0));
  }

  @Test
  void putMetricDataJudgesTimestampsAgainstVirtualNowNotTheWallClock() {
    Instant virtualNow = h.sim.now();
    Instant wallNow = Instant.now();

    put("Fresh", 1, virtualNow.minusSeconds(3 * 3600), null);

    assertThat(wallNow).as("the harness's virtual clock is far from the wall's").isAfter(virtualNow.plusSeconds(7200));
    assertThatThrownBy(() -> put("Future", 1, wallNow, null)).hasMessageContaining("two hours in the future");
    assertThatThrownBy(() -> put("Old", 1, virtualNow.minusSeconds(15 * 86400), null))
        .hasMessageContaining("two weeks in the past");
  }
}
