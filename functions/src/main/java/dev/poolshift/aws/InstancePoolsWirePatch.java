package dev.poolshift.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sends and reads SageMaker fields that AWS SDK for Java 2.40.2 does not model: InstancePools,
 * VariantInstanceProvisionTimeoutInSeconds, and any other field newer than the SDK (e.g.
 * MetricsConfig.EnableDetailedObservability) that a carried config holds. Everything about the
 * gap lives in this one class; delete it when the SDK models instance pools (and have the
 * adapters build the fields with the SDK's builders instead).
 *
 * <p>Request side: the adapter attaches the JSON object it wants on the wire with
 * {@link #attach}. {@link #modifyHttpContent} merges it over the SDK's serialised body (our
 * top-level fields replace the SDK's) and drops {@code InstanceType} from any variant that has
 * {@code InstancePools}; {@link #modifyHttpRequest} sets {@code Content-Length} to the patched
 * length, without which the SDK sends the old length and the body is cut (observed with
 * 2.40.2). The patched bytes are computed once and cached in the execution attributes, so the
 * order in which the SDK calls the two hooks does not matter. Signing runs after interceptors,
 * so the signature covers the patched body.
 *
 * <p>Response side: {@link #modifyHttpResponseContent} keeps a copy of the raw response bytes
 * (the SDK drops unknown fields while unmarshalling) for the adapter to parse itself.
 */
public final class InstancePoolsWirePatch implements ExecutionInterceptor {
  private static final ExecutionAttribute<Exchange> EXCHANGE =
      new ExecutionAttribute<>("poolshift.instancePools.exchange");
  private static final ExecutionAttribute<byte[]> PATCHED_BODY =
      new ExecutionAttribute<>("poolshift.instancePools.patchedBody");
  private static final List<String> VARIANT_LISTS =
      List.of("ProductionVariants", "ShadowProductionVariants");

  /**
   * One call's exchange: the body to put on the wire (null = send the SDK's body unchanged) and,
   * after the call, the raw response.
   */
  public static final class Exchange {
    private final Map<String, Object> body;
    private volatile byte[] response;

    private Exchange(Map<String, Object> body) {
      this.body = body;
    }

    /** The raw response as parsed JSON (an empty map for an empty body). */
    public Map<String, Object> responseJson() {
      byte[] bytes = response;
      if (bytes == null) {
        throw new IllegalStateException("no response captured; was the client built with"
            + " InstancePoolsWirePatch?");
      }
      if (bytes.length == 0) {
        return Map.of();
      }
      try {
        return Json.parseObject(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("response is not a JSON object", e);
      }
    }
  }

  /**
   * Attaches an exchange to {@code request}. Call before {@code build()}; it sets the request's
   * override configuration.
   *
   * @param body the JSON object to merge over the SDK's body, or null to only capture the response
   */
  public static Exchange attach(AwsRequest.Builder request, Map<String, Object> body) {
    Exchange exchange = new Exchange(body);
    request.overrideConfiguration(c -> c.putExecutionAttribute(EXCHANGE, exchange));
    return exchange;
  }

  @Override
  public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context,
      ExecutionAttributes attributes) {
    byte[] patched = patched(context, attributes);
    return patched == null ? context.requestBody() : Optional.of(RequestBody.fromBytes(patched));
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
      ExecutionAttributes attributes) {
    byte[] patched = patched(context, attributes);
    return patched == null ? context.httpRequest() : context.httpRequest().toBuilder()
        .putHeader("Content-Length", Integer.toString(patched.length)).build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    Exchange exchange = attributes.getAttribute(EXCHANGE);
    if (exchange == null) {
      return context.responseBody();
    }
    if (context.responseBody().isEmpty()) {
      exchange.response = new byte[0];
      return context.responseBody();
    }
    try (InputStream in = context.responseBody().get()) {
      byte[] bytes = in.readAllBytes();
      exchange.response = bytes;
      return Optional.of(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] patched(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    Exchange exchange = attributes.getAttribute(EXCHANGE);
    if (exchange == null || exchange.body == null) {
      return null;
    }
    byte[] cached = attributes.getAttribute(PATCHED_BODY);
    if (cached != null) {
      return cached;
    }
    Map<String, Object> merged = new LinkedHashMap<>();
    if (context.requestBody().isPresent()) {
      try (InputStream in = context.requestBody().get().contentStreamProvider().newStream()) {
        byte[] original = in.readAllBytes();
        if (original.length > 0) {
          merged.putAll(Json.parseObject(original));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("SDK request body is not a JSON object", e);
      }
    }
    merged.putAll(exchange.body);
    for (String list : VARIANT_LISTS) {
      if (merged.get(list) instanceof List<?> variants) {
        merged.put(list,
            variants.stream().map(InstancePoolsWirePatch::withoutInstanceType).toList());
      }
    }
    byte[] bytes = Json.writeBytes(merged);
    attributes.putAttribute(PATCHED_BODY, bytes);
    return bytes;
  }

  /** SageMaker takes InstanceType or InstancePools for a variant, never both. */
  private static Object withoutInstanceType(Object variant) {
    if (variant instanceof Map<?, ?> v && v.containsKey("InstancePools")) {
      Map<Object, Object> copy = new LinkedHashMap<>(v);
      copy.remove("InstanceType");
      return copy;
    }
    return variant;
  }
}
