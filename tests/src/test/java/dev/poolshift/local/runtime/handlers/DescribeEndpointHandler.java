package dev.poolshift.local.runtime.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * A test function shaped like ours: environment through the Map constructor, an SDK client built
 * once per container with no endpoint configuration of its own (the runtime's standard override
 * must route it), and a typed exception when the endpoint is missing.
 */
public final class DescribeEndpointHandler implements RequestStreamHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final SageMakerClient sageMaker;
  private final String greeting;

  public DescribeEndpointHandler() {
    this(System.getenv());
  }

  public DescribeEndpointHandler(Map<String, String> env) {
    this.sageMaker = SageMakerClient.builder()
        .region(Region.of(env.get("AWS_REGION")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    this.greeting = env.getOrDefault("GREETING", "missing");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode event = MAPPER.readTree(input);
    String name = event.path("endpointName").asText();
    try {
      var endpoint = sageMaker.describeEndpoint(b -> b.endpointName(name));
      MAPPER.writeValue(output, Map.of("status", endpoint.endpointStatusAsString(), "greeting", greeting,
          "configName", endpoint.endpointConfigName()));
    } catch (software.amazon.awssdk.services.sagemaker.model.SageMakerException e) {
      throw new EndpointMissingException(e.awsErrorDetails().errorMessage());
    }
  }

  /** The error name the test state machine catches. */
  public static final class EndpointMissingException extends RuntimeException {
    public EndpointMissingException(String message) {
      super(message);
    }
  }
}
