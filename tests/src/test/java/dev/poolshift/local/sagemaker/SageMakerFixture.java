package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * A SageMaker world on a discrete simulation behind a loopback gateway, with a real SDK 2.40.2
 * client and a raw JSON 1.1 client for the members the SDK lacks (InstancePools and friends).
 */
final class SageMakerFixture implements AutoCloseable {
  static final Instant T0 = Simulation.DEFAULT_EPOCH;
  static final String IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/churn-infer:3.2.0";
  static final String ROLE = "arn:aws:iam::111122223333:role/sm-exec-churn";

  final Simulation sim = Simulation.discrete(T0);
  final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
  final SageMakerWorld world = new SageMakerWorld(sim, AwsContext.DEFAULT, events::add);
  final Gateway gateway = Gateway.start(0);
  final SageMakerClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  SageMakerFixture(ExecutionInterceptor... interceptors) {
    gateway.register(new SageMakerService(world));
    client = SageMakerClient.builder()
        .endpointOverride(gateway.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor))
        .build();
  }

  record Raw(int status, JsonNode body) {
    String errorCode() {
      return body.path("__type").asText(null);
    }

    String message() {
      return body.path("message").asText(body.path("Message").asText(null));
    }
  }

  /** POSTs a JSON 1.1 request the way the SDK does, returning status and parsed body. */
  Raw call(String operation, JsonNode body) {
    HttpRequest req = HttpRequest.newBuilder(gateway.endpoint().resolve("/"))
        .header("X-Amz-Target", "SageMaker." + operation)
        .header("Content-Type", "application/x-amz-json-1.1")
        .POST(HttpRequest.BodyPublishers.ofString(LocalJson.write(body)))
        .build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      assertThat(resp.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.1");
      return new Raw(resp.statusCode(), LocalJson.parse(resp.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A call that must succeed. */
  JsonNode ok(String operation, JsonNode body) {
    Raw r = call(operation, body);
    assertThat(r.status()).as("%s -> %s", operation, r.body()).isEqualTo(200);
    return r.body();
  }

  JsonNode describeEndpoint(String name) {
    return ok("DescribeEndpoint", LocalJson.object().put("EndpointName", name));
  }

  static ObjectNode resource(String name) {
    try {
      return (ObjectNode) LocalJson.parse(Files.readString(Path.of("tests/src/test/resources/sagemaker", name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ scenario helpers

  /** An Approved version in group {@code churn-model} with a g6 int4 build; returns its ARN. */
  String approvedPackage() {
    return world.seedModelPackageVersion("churn-model", "Approved", IMAGE,
        Map.of("g6-int4", IMAGE.replace("3.2.0", "3.2.0-int4")));
  }

  /** {@code churn-prod} InService on one {@code ml.g5.2xlarge} running {@code churn-v1} (package churn-model/1). */
  void seedChurnProd() {
    String pkg = world.seedModelPackageVersion("churn-model", "Approved", "img:1", java.util.Map.of());
    world.seedModelFromPackage("churn-v1", pkg, null);
    world.seedEndpointConfig(singleTypeConfig("cfg-v1", "churn-v1", "ml.g5.2xlarge", 1));
    world.seedEndpoint("churn-prod", "cfg-v1");
  }

  static ObjectNode singleTypeConfig(String name, String model, String type, int count) {
    ObjectNode c = LocalJson.object().put("EndpointConfigName", name);
    c.putArray("ProductionVariants").addObject()
        .put("VariantName", "primary").put("ModelName", model).put("InstanceType", type)
        .put("InitialInstanceCount", count).put("InitialVariantWeight", 1.0);
    return c;
  }

  /** Pools as alternating type, model override (null = none); priorities 1, 2, ... in order. */
  static ObjectNode pooledConfig(String name, String model, int count, Integer timeoutSeconds, String... typeAndOverride) {
    ObjectNode c = LocalJson.object().put("EndpointConfigName", name);
    ObjectNode v = c.putArray("ProductionVariants").addObject()
        .put("VariantName", "primary").put("ModelName", model).put("InitialInstanceCount", count)
        .put("InitialVariantWeight", 1.0);
    ArrayNode pools = v.putArray("InstancePools");
    for (int i = 0; i < typeAndOverride.length; i += 2) {
      ObjectNode p = pools.addObject().put("InstanceType", typeAndOverride[i]).put("Priority", i / 2 + 1);
      if (typeAndOverride[i + 1] != null) {
        p.put("ModelNameOverride", typeAndOverride[i + 1]);
      }
    }
    if (timeoutSeconds != null) {
      v.put("VariantInstanceProvisionTimeoutInSeconds", timeoutSeconds);
    }
    v.putObject("RoutingConfig").put("RoutingStrategy", "LEAST_OUTSTANDING_REQUESTS");
    return c;
  }

  /** Runs the simulation until the endpoint has the status; fails the test if it never does. */
  void runUntilStatus(String endpoint, String status, Duration within) {
    Instant limit = sim.now().plus(within);
    boolean reached = sim.runUntil(() -> world.endpoint(endpoint).map(e -> e.status().equals(status)).orElse(false),
        limit);
    assertThat(reached).as("endpoint %s reached %s by %s (now %s)", endpoint, status, limit,
        world.endpoint(endpoint).map(EndpointView::status).orElse("gone")).isTrue();
  }

  void runUntilGone(String endpoint, Duration within) {
    Instant limit = sim.now().plus(within);
    assertThat(sim.runUntil(() -> world.endpoint(endpoint).isEmpty(), limit)).as("endpoint %s deleted", endpoint)
        .isTrue();
  }

  Duration elapsed() {
    return Duration.between(T0, sim.now());
  }

  List<ServiceEvent> endpointEvents(String endpoint) {
    return events.stream().filter(e -> e.detailType().equals("SageMaker Endpoint State Change"))
        .filter(e -> e.detail().path("EndpointName").asText().equals(endpoint)).toList();
  }

  List<String> endpointEventStatuses(String endpoint) {
    return endpointEvents(endpoint).stream().map(e -> e.detail().path("EndpointStatus").asText()).toList();
  }

  List<ServiceEvent> packageEvents() {
    return events.stream().filter(e -> e.detailType().equals("SageMaker Model Package State Change")).toList();
  }

  @Override
  public void close() {
    client.close();
    http.close();
    gateway.close();
    sim.close();
  }
}
