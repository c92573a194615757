package dev.poolshift.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.sns.SnsService;
import dev.poolshift.local.ssm.SsmService;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's protocol-wide behaviour: gzip request bodies, and one unknown-operation shape per protocol. */
class GatewayProtocolsTest {
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final SsmService ssm = new SsmService(sim, AwsContext.DEFAULT);
  private final SnsService sns = new SnsService(sim, AwsContext.DEFAULT);
  private final Gateway gateway = Gateway.start(0);
  private final HttpClient http = HttpClient.newHttpClient();

  GatewayProtocolsTest() {
    gateway.register(ssm);
    gateway.register(sns);
  }

  @AfterEach
  void close() {
    gateway.close();
    sim.close();
  }

  private HttpResponse<String> send(Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static Map<String, String> ssmHeaders(String operation) {
    return Map.of("X-Amz-Target", "AmazonSSM." + operation, "Content-Type", "application/x-amz-json-1.1");
  }

  private static final Map<String, String> SNS_HEADERS = Map.of("Content-Type", "application/x-www-form-urlencoded",
      "Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260601/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0");

  @Test
  void aGzippedJsonBodyReachesTheServiceAsPlainJson() throws Exception {
    Map<String, String> headers = new java.util.HashMap<>(ssmHeaders("PutParameter"));
    headers.put("Content-Encoding", "gzip");

    HttpResponse<String> r = send(headers, gzip("{\"Name\":\"/zipped\",\"Value\":\"v\",\"Type\":\"String\"}"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ssm.value("/zipped")).isEqualTo("v");
  }

  @Test
  void aBodyThatClaimsGzipButIsNotIsA400() throws Exception {
    Map<String, String> headers = new java.util.HashMap<>(ssmHeaders("PutParameter"));
    headers.put("Content-Encoding", "gzip");

    HttpResponse<String> r = send(headers, "{\"Name\":\"/plain\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ssm.value("/plain")).isNull();
  }

  @Test
  void anUnknownJsonOperationIsUnknownOperationException() throws Exception {
    HttpResponse<String> r = send(ssmHeaders("DescribeEverything"), "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(LocalJson.parse(r.body()).path("__type").asText())
        .isEqualTo("com.amazon.coral.service#UnknownOperationException");
  }

  @Test
  void anUnknownQueryActionIsInvalidActionInTheQueryErrorDocument() throws Exception {
    HttpResponse<String> r = send(SNS_HEADERS, "Action=ListEverything&Version=2010-03-31".getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">")
        .contains("<Code>InvalidAction</Code>")
        .contains("Could not find operation ListEverything for version 2010-03-31");
  }
}
