package dev.poolshift.local.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Echoes its input with what it knows about its environment; written like Poolshift's handlers. */
public final class EchoHandler implements RequestStreamHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  public static final AtomicInteger INVOCATIONS = new AtomicInteger();
  /** Every payload any EchoHandler received, as {"function": name, "payload": ...}, for delivery tests. */
  public static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();

  private final Map<String, String> env;
  private final int instance = INSTANCES.incrementAndGet();

  public EchoHandler() {
    this(System.getenv());
  }

  public EchoHandler(Map<String, String> env) {
    this.env = env;
    System.out.println("init instance " + instance);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    INVOCATIONS.incrementAndGet();
    ObjectNode out = MAPPER.createObjectNode();
    JsonNode payload = MAPPER.readTree(input);
    RECEIVED.add(MAPPER.createObjectNode().put("function", env.get("AWS_LAMBDA_FUNCTION_NAME")).set("payload", payload));
    out.set("input", payload);
    out.put("instance", instance);
    out.putPOJO("env", env);
    out.put("remainingMillis", context.getRemainingTimeInMillis());
    out.put("requestId", context.getAwsRequestId());
    out.put("functionVersion", context.getFunctionVersion());
    out.put("invokedArn", context.getInvokedFunctionArn());
    System.out.println("stdout line for " + context.getAwsRequestId());
    context.getLogger().log("logger line\n");
    MAPPER.writeValue(output, out);
  }
}
