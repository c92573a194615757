package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateEndpointConfigRequest;

/**
 * The way the functions reach InstancePools from SDK 2.40.2: patch the request
 * JSON in an interceptor, read the raw response. The local service must accept and return it.
 */
class SageMakerSdkPatchTest {
  private static final ExecutionAttribute<byte[]> PATCHED = new ExecutionAttribute<>("patched");
  private final AtomicReference<String> lastResponse = new AtomicReference<>();

  private final ExecutionInterceptor poolsPatch = new ExecutionInterceptor() {
    private byte[] patched(Context.ModifyHttpRequest ctx, ExecutionAttributes a) {
      if (!(ctx.request() instanceof CreateEndpointConfigRequest) || ctx.requestBody().isEmpty()) {
        return null;
      }
      if (a.getAttribute(PATCHED) == null) {
        try (InputStream in = ctx.requestBody().get().contentStreamProvider().newStream()) {
          ObjectNode body = (ObjectNode) LocalJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          ObjectNode variant = (ObjectNode) body.get("ProductionVariants").get(0);
          variant.remove("InstanceType");
          variant.putArray("InstancePools").addObject().put("InstanceType", "ml.g6e.2xlarge").put("Priority", 1);
          ((com.fasterxml.jackson.databind.node.ArrayNode) variant.get("InstancePools")).addObject()
              .put("InstanceType", "ml.g6.2xlarge").put("Priority", 2);
          variant.put("VariantInstanceProvisionTimeoutInSeconds", 1200);
          a.putAttribute(PATCHED, LocalJson.write(body).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return a.getAttribute(PATCHED);
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest ctx, ExecutionAttributes a) {
      byte[] p = patched(ctx, a);
      return p == null ? ctx.requestBody() : Optional.of(RequestBody.fromBytes(p));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest ctx, ExecutionAttributes a) {
      byte[] p = patched(ctx, a);
      return p == null ? ctx.httpRequest()
          : ctx.httpRequest().toBuilder().putHeader("Content-Length", Integer.toString(p.length)).build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse ctx, ExecutionAttributes a) {
      if (ctx.responseBody().isEmpty()) {
        return ctx.responseBody();
      }
      try {
        byte[] b = ctx.responseBody().get().readAllBytes();
        lastResponse.set(new String(b, StandardCharsets.UTF_8));
        return Optional.of(new ByteArrayInputStream(b));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final SageMakerFixture f = new SageMakerFixture(poolsPatch);

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void instancePoolsPatchedIntoAnSdkRequestCrossTheWireAndComeBackInRawResponses() {
    String pkg = f.world.seedModelPackageVersion("churn-model", "Approved", "img:1", Map.of());
    f.world.seedModelFromPackage("churn-v1", pkg, null);
    f.world.setCapacity("ml.g6e.2xlarge", java.util.List.of(CapacityPoint.point(0, 1)));

    f.client.createEndpointConfig(b -> b.endpointConfigName("cfg-pools").productionVariants(v -> v
        .variantName("primary").modelName("churn-v1").instanceType("ml.g6e.2xlarge").initialInstanceCount(2)));
    f.client.describeEndpointConfig(b -> b.endpointConfigName("cfg-pools"));
    JsonNode described = LocalJson.parse(lastResponse.get());
    f.client.createEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("cfg-pools"));
    f.runUntilStatus("churn-prod", "InService", Duration.ofHours(1));
    f.client.describeEndpoint(b -> b.endpointName("churn-prod"));
    JsonNode endpoint = LocalJson.parse(lastResponse.get());

    assertThat(described.at("/ProductionVariants/0/InstancePools")).hasSize(2);
    assertThat(described.at("/ProductionVariants/0/InstanceType").isMissingNode()).isTrue();
    assertThat(described.at("/ProductionVariants/0/VariantInstanceProvisionTimeoutInSeconds").asInt()).isEqualTo(1200);
    assertThat(endpoint.at("/ProductionVariants/0/InstancePools").toString())
        .isEqualTo("[{\"InstanceType\":\"ml.g6e.2xlarge\",\"CurrentInstanceCount\":1},"
            + "{\"InstanceType\":\"ml.g6.2xlarge\",\"CurrentInstanceCount\":1}]");
  }
}
