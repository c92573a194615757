package dev.poolshift.local.http;

import dev.poolshift.aws.ClientTuning;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Hands the functions' SDK requests to the {@link Gateway} without a socket. Everything the SDK
 * does is unchanged — endpoint resolution, marshalling, SigV4 signing, the retry strategy, the
 * interceptors, unmarshalling — and the gateway answers the request exactly as it answers it over
 * HTTP ({@link Gateway#answer}); only the loopback TCP connection and the two HTTP stacks are
 * skipped. In a fleet rehearsal those cost a fifth of the CPU (the JDK HTTP server's parsing,
 * the URL connection's, and the kernel's loopback), and 500 clients connecting at once overran
 * the server's accept backlog, which the SDK then retried.
 *
 * <p>Found by {@link dev.poolshift.aws.AwsClients} through {@link java.util.ServiceLoader} like
 * {@code VirtualClockRetries}; the deployment package declares no tuning, so on Lambda the
 * clients keep their URL-connection client. It only takes requests addressed to the
 * {@linkplain #attach attached} gateway's port; anything else (no runtime, another endpoint) goes
 * over the wire. The HTTP path stays covered: {@code serve} and its smoke tests (the AWS CLI, the
 * JavaScript SDK, the Java SDK) reach the same gateway over the socket, and a runtime started with
 * {@code withLoopback(true)} sends the functions' calls over it too.
 */
public final class InProcessTransport implements ClientTuning {
  private static final AtomicReference<Gateway> BOUND = new AtomicReference<>();

  /** For {@link java.util.ServiceLoader}. */
  public InProcessTransport() {}

  /** Makes requests to {@code gateway}'s port go straight to it until the handle is closed. */
  public static AutoCloseable attach(Gateway gateway) {
    BOUND.set(gateway);
    return () -> BOUND.compareAndSet(gateway, null);
  }

  @Override
  public void tune(ClientOverrideConfiguration.Builder overrides) {
    // Nothing: the transport is the HTTP client, not the client's configuration.
  }

  @Override
  public SdkHttpClient httpClient(SdkHttpClient wire) {
    return new Client(wire);
  }

  private record Client(SdkHttpClient wire) implements SdkHttpClient {
    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      Gateway gateway = BOUND.get();
      SdkHttpRequest http = request.httpRequest();
      // Decided per request, so a client built before a runtime started (or after it stopped)
      // still reaches whatever its endpoint names.
      if (gateway == null || http.port() != gateway.port() || !isLoopback(http.host())) {
        return wire.prepareRequest(request);
      }
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          return answer(gateway, request);
        }

        @Override
        public void abort() {
          // The answer is computed on the calling thread: there is nothing in flight to abort.
        }
      };
    }

    @Override
    public String clientName() {
      return wire.clientName();
    }

    @Override
    public void close() {
      wire.close();
    }
  }

  static HttpExecuteResponse answer(Gateway gateway, HttpExecuteRequest request) {
    SdkHttpRequest http = request.httpRequest();
    byte[] body = request.contentStreamProvider().map(p -> {
      try (InputStream in = p.newStream()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).orElse(new byte[0]);
    // As the server hands them over: lower-case names, each header's values in order.
    Map<String, List<String>> headers = new LinkedHashMap<>();
    http.forEachHeader((name, values) ->
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
    HttpReply reply = gateway.answer(http.method().name(), http.getUri(), headers, body);
    SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    if (reply.contentType() != null) {
      response.putHeader("Content-Type", reply.contentType());
    }
    response.putHeader("Content-Length", String.valueOf(reply.body().length));
    return HttpExecuteResponse.builder()
        .response(response.build())
        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(reply.body())))
        .build();
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1");
  }
}
