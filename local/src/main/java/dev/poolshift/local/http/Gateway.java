package dev.poolshift.local.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.poolshift.local.aws.AwsServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One loopback HTTP endpoint for every local AWS service, as {@code AWS_ENDPOINT_URL} expects:
 * SDK clients (the functions', the AWS CLI's) all point at {@link #endpoint()} and the gateway
 * routes each request to its service.
 */
public final class Gateway implements AutoCloseable {
  private static final Pattern SCOPE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/]+/([^/]+)/aws4_request");

  static {
    // The JDK's HTTP server leaves Nagle's algorithm on: a response written in two parts waits for
    // the client's delayed ACK, ~40 ms per call on loopback, and the simulation waits with it.
    // Read once, when the server's configuration class loads, so it is set before any server
    // exists; a value the user set on the command line wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, AwsService> byTarget = new ConcurrentHashMap<>();
  private final Map<String, AwsService> bySigningName = new ConcurrentHashMap<>();
  private volatile RequestAuthorizer authorizer = RequestAuthorizer.ALLOW_ALL;

  private Gateway(HttpServer server) {
    this.server = server;
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a gateway on 127.0.0.1; port 0 picks a free one. */
  public static Gateway start(int port) {
    try {
      return new Gateway(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128));
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  public void register(AwsService service) {
    bySigningName.put(service.signingName(), service);
    if (service.targetPrefix() != null) {
      byTarget.put(service.targetPrefix(), service);
    }
  }

  /** The service registered under a SigV4 signing name, or null. */
  public AwsService service(String signingName) {
    return bySigningName.get(signingName);
  }

  /** Asks {@code authorizer} about every request before its service runs it (IAM). */
  public void authorizeWith(RequestAuthorizer authorizer) {
    this.authorizer = authorizer;
  }

  /**
   * The service registered under a signing name, behind the same authorization as requests over
   * the wire: for callers inside the runtime that sign as someone (a state machine's SDK
   * integrations). Null when there is no such service.
   */
  public AwsService authorizedService(String signingName) {
    AwsService service = bySigningName.get(signingName);
    if (service == null) {
      return null;
    }
    return new AwsService() {
      @Override
      public String signingName() {
        return service.signingName();
      }

      @Override
      public String targetPrefix() {
        return service.targetPrefix();
      }

      @Override
      public HttpReply handle(HttpCall call) throws IOException {
        HttpReply refused = authorizer.authorize(service, call);
        return refused != null ? refused : service.handle(call);
      }
    };
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port());
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpReply reply = answer(exchange.getRequestMethod(), exchange.getRequestURI(), headers, body);
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      if (reply.contentType() != null) {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      }
      exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      if (reply.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body());
        }
      }
    }
  }

  /**
   * Answers one request as the loopback endpoint would: body decoded, routed to its service,
   * authorized, errors shaped as AWS shapes them. {@code headers} has lower-case names and is
   * changed in place (a decoded body loses its {@code Content-Encoding}). Used by the HTTP server
   * and by {@link InProcessTransport}, which hands the functions' requests over without a socket.
   */
  public HttpReply answer(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
    AwsService service = null;
    HttpCall call;
    try {
      body = decode(headers, body);
      call = new HttpCall(method, uri.getRawPath(), uri.getRawQuery(), headers, body);
      service = route(call);
    } catch (IOException e) {
      call = null;
    }
    if (call == null) {
      return HttpReply.of(400, "application/json",
          "{\"__type\":\"SerializationException\",\"message\":\"the request body is not valid gzip\"}");
    }
    if (service == null) {
      return HttpReply.of(400, "application/json",
          "{\"__type\":\"UnrecognizedClientException\",\"message\":\"no local service for this request (target "
              + call.header("x-amz-target") + ")\"}");
    }
    try {
      HttpReply refused = authorizer.authorize(service, call);
      return refused != null ? refused : service.handle(call);
    } catch (AwsServiceException e) {
      return HttpReply.of(e.status(), "application/json",
          "{\"__type\":\"" + e.code() + "\",\"message\":" + quote(e.getMessage()) + "}");
    } catch (IOException | RuntimeException e) {
      // A bug in a local service: answer like AWS does for internal errors, and keep the cause visible.
      e.printStackTrace();
      return HttpReply.of(500, "application/json",
          "{\"__type\":\"InternalFailure\",\"message\":" + quote(String.valueOf(e)) + "}");
    }
  }

  /**
   * The request body with its {@code Content-Encoding} undone, for every service alike: SDKs gzip
   * large requests of operations modelled with {@code requestCompression} (CloudWatch's
   * PutMetricData over 10 KB), and the header is removed once the body is plain.
   */
  static byte[] decode(Map<String, List<String>> headers, byte[] body) throws IOException {
    List<String> encodings = headers.get("content-encoding");
    if (encodings == null) {
      return body;
    }
    List<String> remaining = new java.util.ArrayList<>();
    for (String header : encodings) {
      for (String coding : header.split(",")) {
        String c = coding.trim().toLowerCase(Locale.ROOT);
        if (!c.isEmpty()) {
          remaining.add(c);
        }
      }
    }
    // Codings are listed in the order they were applied: undo them from the last.
    while (!remaining.isEmpty() && remaining.getLast().equals("gzip")) {
      try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
      remaining.removeLast();
    }
    if (remaining.isEmpty()) {
      headers.remove("content-encoding");
    } else {
      headers.put("content-encoding", List.of(String.join(", ", remaining)));
    }
    return body;
  }

  private AwsService route(HttpCall call) {
    // Smithy RPC v2 CBOR names the service in the path: /service/<ServiceName>/operation/<Op>.
    String rpcService = RpcV2Cbor.serviceName(call);
    if (rpcService != null && byTarget.containsKey(rpcService)) {
      return byTarget.get(rpcService);
    }
    String target = call.header("x-amz-target");
    if (target != null && target.contains(".")) {
      AwsService s = byTarget.get(target.substring(0, target.indexOf('.')));
      if (s != null) {
        return s;
      }
    }
    String auth = call.header("authorization");
    if (auth != null) {
      Matcher m = SCOPE.matcher(auth);
      if (m.find()) {
        return bySigningName.get(m.group(1));
      }
    }
    return null;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : String.valueOf(s).toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

}
