package dev.poolshift.local.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.LocalClients;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.sim.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * A local CloudWatch on a discrete simulation behind a gateway, the real SDK client pointed at it,
 * a scriptable {@link TrafficSource} and the alarm events CloudWatch published.
 */
final class CloudWatchHarness implements AutoCloseable {
  static final String PRIMARY_V6 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/churn/6";
  static final String CANARY_V7 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/churn/7";

  final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
  final CloudWatch cloudWatch = new CloudWatch(sim, events::add, AwsContext.DEFAULT);
  final FakeSource source = new FakeSource();
  final Gateway gateway = Gateway.start(0);
  final CloudWatchClient client;
  TrafficModel traffic;

  CloudWatchHarness() {
    gateway.register(new CloudWatchService(cloudWatch));
    client = LocalClients.against(CloudWatchClient.builder(), gateway.endpoint());
  }

  /** CloudWatch's JSON 1.0 and RPC v2 CBOR target name. */
  static final String TARGET = "GraniteServiceVersion20100801";
  private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

  /** A raw request to the gateway, signed enough for it to route to CloudWatch. */
  java.net.http.HttpResponse<byte[]> send(String path, Map<String, String> headers, byte[] body) throws Exception {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.endpoint() + path))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260601/us-east-1/monitoring/aws4_request, "
            + "SignedHeaders=host, Signature=0");
    headers.forEach(b::header);
    return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
  }

  /** {@code operation} on the JSON 1.0 protocol (the AWS CLI v2's and the SDKs' query-compatible mode). */
  java.net.http.HttpResponse<byte[]> json(String operation, String body) throws Exception {
    return send("/", Map.of("X-Amz-Target", TARGET + "." + operation, "Content-Type", "application/x-amz-json-1.0",
        "x-amzn-query-mode", "true"), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** {@code operation} on RPC v2 CBOR. */
  java.net.http.HttpResponse<byte[]> cbor(String operation, JsonNode body) throws Exception {
    return send("/service/" + TARGET + "/operation/" + operation, Map.of("smithy-protocol", "rpc-v2-cbor",
        "Content-Type", "application/cbor", "Accept", "application/cbor"),
        dev.poolshift.local.json.LocalJson.CBOR.writeValueAsBytes(body));
  }

  /** Starts the traffic model with {@code scenario}. */
  TrafficModel startTraffic(TrafficScenario scenario) {
    traffic = new TrafficModel(sim, cloudWatch.metrics(), source, scenario);
    traffic.start();
    return traffic;
  }

  /** Advances virtual time by {@code d}, running everything due. */
  void advance(Duration d) {
    sim.advance(d);
  }

  /** Runs until {@code at}. */
  void runUntil(Instant at) {
    sim.advance(Duration.between(sim.now(), at));
  }

  Instant at(String hhmmss) {
    return Instant.parse("2026-06-01T" + hhmmss + "Z");
  }

  List<JsonNode> alarmEvents(String alarmName) {
    return events.stream().filter(e -> e.detail().path("alarmName").asText().equals(alarmName))
        .map(ServiceEvent::detail).toList();
  }

  /** Serving state per endpoint that tests change, then report with {@code servingChanged}. */
  static final class FakeSource implements TrafficSource {
    final Map<String, List<ServingSlice>> slices = new ConcurrentHashMap<>();
    final Map<String, Integer> publishSeconds = new ConcurrentHashMap<>();

    void serve(String endpoint, List<ServingSlice> serving) {
      slices.put(endpoint, List.copyOf(serving));
    }

    void remove(String endpoint) {
      slices.remove(endpoint);
    }

    @Override
    public Set<String> endpoints() {
      return Set.copyOf(new TreeMap<>(slices).keySet());
    }

    @Override
    public List<ServingSlice> serving(String endpointName) {
      return slices.getOrDefault(endpointName, List.of());
    }

    @Override
    public int metricPublishSeconds(String endpointName) {
      return publishSeconds.getOrDefault(endpointName, 60);
    }
  }

  /** The usual canary layout: primary 90% on two g5 (v6), canary 10% on {@code canary} slices. */
  static List<ServingSlice> canaryLayout(String config, ServingSlice... canary) {
    List<ServingSlice> all = new ArrayList<>();
    all.add(new ServingSlice("primary", 0.9, "ml.g5.2xlarge", 2, PRIMARY_V6, config));
    all.addAll(List.of(canary));
    return all;
  }

  @Override
  public void close() {
    client.close();
    gateway.close();
    cloudWatch.close();
    if (traffic != null) {
      traffic.stop();
    }
    sim.close();
  }
}
