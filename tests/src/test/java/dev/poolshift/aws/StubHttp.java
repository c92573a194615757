package dev.poolshift.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;

/**
 * An {@link SdkHttpClient} that records every request exactly as the SDK would put it on the
 * wire (after interceptors and signing) and answers from a script: no network at all.
 */
final class StubHttp implements SdkHttpClient {
  /** One request as sent. */
  record Sent(String method, String uri, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
    }

    /** The operation, from {@code X-Amz-Target} ({@code SageMaker.CreateEndpointConfig} → CreateEndpointConfig). */
    String operation() {
      String target = header("X-Amz-Target");
      return target == null ? null : target.substring(target.indexOf('.') + 1);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    Map<String, Object> json() {
      try {
        return Json.parseObject(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A scripted answer. */
  record Reply(int status, String body, boolean ioFailure) {
    static Reply ok(String json) {
      return new Reply(200, json, false);
    }

    static Reply error(int status, String type, String message) {
      return new Reply(status, "{\"__type\":\"" + type + "\",\"Message\":\"" + message.replace("\"", "\\\"") + "\"}", false);
    }

    static Reply connectionReset() {
      return new Reply(0, null, true);
    }
  }

  private final List<Sent> sent = new ArrayList<>();
  private final Deque<Reply> script = new ArrayDeque<>();
  private Function<Sent, Reply> router;

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
  }

  /** Client settings with this stub as the HTTP client. */
  AwsClients.Settings settings() {
    return new AwsClients.Settings(Region.US_EAST_1, this, credentials());
  }

  /** Queue replies, answered in order. */
  StubHttp then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** Answer by request (after the queue is empty). */
  StubHttp route(Function<Sent, Reply> router) {
    this.router = router;
    return this;
  }

  List<Sent> sent() {
    return List.copyOf(sent);
  }

  Sent only(String operation) {
    List<Sent> matching = sent.stream().filter(s -> operation.equals(s.operation())).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + operation + " request, got " + matching.size()
          + " among " + sent.stream().map(Sent::operation).toList());
    }
    return matching.getFirst();
  }

  List<String> operations() {
    return sent.stream().map(Sent::operation).toList();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        byte[] body = new byte[0];
        if (request.contentStreamProvider().isPresent()) {
          try (InputStream in = request.contentStreamProvider().get().newStream()) {
            body = in.readAllBytes();
          }
        }
        Sent s = new Sent(request.httpRequest().method().name(),
            request.httpRequest().getUri().toString(), request.httpRequest().headers(), body);
        sent.add(s);
        Reply reply = !script.isEmpty() ? script.poll()
            : router != null ? router.apply(s) : null;
        if (reply == null) {
          throw new AssertionError("no scripted reply for " + s.operation());
        }
        if (reply.ioFailure()) {
          throw new IOException("Connection reset");
        }
        byte[] out = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
            .response(SdkHttpResponse.builder().statusCode(reply.status())
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("x-amzn-RequestId", "req-" + sent.size())
                .putHeader("Content-Length", Integer.toString(out.length))
                .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(out)))
            .build();
      }

      @Override
      public void abort() {
      }
    };
  }

  @Override
  public void close() {
  }
}
