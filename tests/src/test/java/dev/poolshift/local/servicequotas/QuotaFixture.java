package dev.poolshift.local.servicequotas;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.SageMakerService;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import dev.poolshift.local.sim.Simulation;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;

/**
 * A SageMaker world and the Service Quotas that read its quotas, behind one loopback gateway,
 * with real SDK 2.40.2 clients; helpers seed InService endpoints.
 */
public final class QuotaFixture implements AutoCloseable {
  public static final String IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/churn-infer:3.2.0";

  public final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  public final SageMakerWorld world = new SageMakerWorld(sim, AwsContext.DEFAULT, e -> { });
  public final ServiceQuotasService quotas = new ServiceQuotasService(AwsContext.DEFAULT, world);
  public final Gateway gateway = Gateway.start(0);
  public final ServiceQuotasClient serviceQuotas;
  private final String packageArn;

  public QuotaFixture() {
    gateway.register(new SageMakerService(world));
    gateway.register(quotas);
    serviceQuotas = ServiceQuotasClient.builder().endpointOverride(gateway.endpoint())
        .region(Region.US_EAST_1).credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create()).build();
    packageArn = world.seedModelPackageVersion("churn-model", "Approved", IMAGE, java.util.Map.of());
  }

  /** A SageMaker client on the gateway, with the given interceptors (the functions' wire patch). */
  public SageMakerClient sageMaker(ExecutionInterceptor... interceptors) {
    return SageMakerClient.builder().endpointOverride(gateway.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor))
        .build();
  }

  /** An InService endpoint of one variant on one type. */
  public void singleType(String endpoint, String type, int count) {
    ObjectNode config = config(endpoint);
    ((ArrayNode) config.get("ProductionVariants")).addObject().put("VariantName", "primary")
        .put("ModelName", model(endpoint)).put("InstanceType", type)
        .put("InitialInstanceCount", count).put("InitialVariantWeight", 1.0);
    world.seedEndpointConfig(config);
    world.seedEndpoint(endpoint, endpoint + "-config");
  }

  /** An InService endpoint of one pooled variant; types in priority order. */
  public void pooled(String endpoint, int count, String... types) {
    ObjectNode config = config(endpoint);
    ObjectNode v = ((ArrayNode) config.get("ProductionVariants")).addObject()
        .put("VariantName", "primary").put("ModelName", model(endpoint))
        .put("InitialInstanceCount", count).put("InitialVariantWeight", 1.0);
    ArrayNode pools = v.putArray("InstancePools");
    for (int i = 0; i < types.length; i++) {
      pools.addObject().put("InstanceType", types[i]).put("Priority", i + 1);
    }
    v.putObject("RoutingConfig").put("RoutingStrategy", "LEAST_OUTSTANDING_REQUESTS");
    world.seedEndpointConfig(config);
    world.seedEndpoint(endpoint, endpoint + "-config");
  }

  private ObjectNode config(String endpoint) {
    ObjectNode config = LocalJson.object().put("EndpointConfigName", endpoint + "-config");
    config.putArray("ProductionVariants");
    return config;
  }

  private String model(String endpoint) {
    String name = endpoint + "-model";
    world.seedModelFromPackage(name, packageArn, null);
    return name;
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret"));
  }

  @Override
  public void close() {
    serviceQuotas.close();
    gateway.close();
    sim.close();
  }
}
