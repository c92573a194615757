package dev.poolshift.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.bench.FleetBenchmark;
import dev.poolshift.local.bench.FleetScenario;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.ssm.SsmService;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The functions' requests reach the gateway without a socket, and get the answer the socket would
 * have given them.
 */
class InProcessTransportTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final SsmService ssm = new SsmService(sim, AwsContext.DEFAULT);
  private final Gateway gateway = Gateway.start(0);

  InProcessTransportTest() {
    gateway.register(ssm);
  }

  @AfterEach
  void close() {
    gateway.close();
    sim.close();
  }

  /** An HTTP client that counts what it is asked to send and sends it over the loopback socket. */
  private static final class CountingWire implements SdkHttpClient {
    final AtomicInteger requests = new AtomicInteger();
    final SdkHttpClient real = UrlConnectionHttpClient.create();

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      requests.incrementAndGet();
      return real.prepareRequest(request);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  private SsmClient ssmClient(SdkHttpClient http) {
    return SsmClient.builder().region(Region.US_EAST_1).endpointOverride(gateway.endpoint()).httpClient(http)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .build();
  }

  @Test
  void aClientOfTheAttachedGatewayIsAnsweredWithoutTouchingTheWire() throws Exception {
    CountingWire wire = new CountingWire();
    try (AutoCloseable attached = InProcessTransport.attach(gateway);
        SsmClient client = ssmClient(new InProcessTransport().httpClient(wire))) {
      client.putParameter(r -> r.name("/poolshift/profile").value("v1").type("String"));

      assertThat(client.getParameter(r -> r.name("/poolshift/profile")).parameter().value()).isEqualTo("v1");
      assertThat(ssm.value("/poolshift/profile")).isEqualTo("v1");
      assertThat(wire.requests).hasValue(0);
    }
  }

  @Test
  void withoutAnAttachedGatewayTheSameClientGoesOverTheWire() throws Exception {
    CountingWire wire = new CountingWire();
    try (SsmClient client = ssmClient(new InProcessTransport().httpClient(wire))) {
      client.putParameter(r -> r.name("/over/the/wire").value("v").type("String"));

      assertThat(wire.requests).hasValue(1);
      assertThat(ssm.value("/over/the/wire")).isEqualTo("v");
    }
  }

  @Test
  void aServiceErrorReadsTheSameInProcessAsOverTheSocket() throws Exception {
    ParameterNotFoundException overSocket;
    try (SsmClient client = ssmClient(UrlConnectionHttpClient.create())) {
      overSocket = catchThrowableOfType(ParameterNotFoundException.class,
          () -> client.getParameter(r -> r.name("/missing")));
    }
    ParameterNotFoundException inProcess;
    try (AutoCloseable attached = InProcessTransport.attach(gateway);
        SsmClient client = ssmClient(new InProcessTransport().httpClient(new CountingWire()))) {
      inProcess = catchThrowableOfType(ParameterNotFoundException.class,
          () -> client.getParameter(r -> r.name("/missing")));
    }

    assertThat(inProcess.statusCode()).isEqualTo(overSocket.statusCode()).isEqualTo(400);
    assertThat(inProcess.awsErrorDetails().errorCode()).isEqualTo(overSocket.awsErrorDetails().errorCode());
    assertThat(inProcess.awsErrorDetails().errorMessage()).isEqualTo(overSocket.awsErrorDetails().errorMessage());
  }

  @Test
  void aRehearsalMakesTheSameCallsAndEndsTheSameWhicheverWayTheFunctionsReachTheGateway() {
    // One rollout after another (the deterministic order), so the two runs can be compared call for call.
    FleetScenario fleet = new FleetScenario(2, 1, 0, 7);
    FleetBenchmark.Result socket = FleetBenchmark.run(fleet, ROOT, false, true);
    FleetBenchmark.Result direct = FleetBenchmark.run(fleet, ROOT, false, false);

    assertThat(direct.outcomes()).isEqualTo(socket.outcomes()).containsKeys("PROMOTED", "ROLLED_BACK");
    assertThat(direct.callsByOperation()).isEqualTo(socket.callsByOperation());
    assertThat(direct.virtualSeconds()).isEqualTo(socket.virtualSeconds());
    assertThat(direct.tActSeconds()).isEqualTo(socket.tActSeconds());
  }
}
