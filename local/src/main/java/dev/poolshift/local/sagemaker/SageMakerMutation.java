package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.time.Instant;

/**
 * One mutating call that reached the SageMaker wire: when, which operation, on which endpoint
 * (null for calls that name no endpoint) and resource, and how it ended ({@code errorCode} null
 * = accepted). Throttled and rejected attempts are kept too, so a test can assert that nothing
 * wrote to an endpoint while another execution held it.
 */
public record SageMakerMutation(Instant time, String operation, String endpointName, String resource,
    String errorCode) {

  public boolean accepted() {
    return errorCode == null;
  }

  /** The entry as {@code run --json} reports it. */
  public ObjectNode toJson() {
    ObjectNode n = LocalJson.object();
    n.put("time", time.toString());
    n.put("operation", operation);
    if (endpointName != null) {
      n.put("endpointName", endpointName);
    }
    if (resource != null) {
      n.put("resource", resource);
    }
    n.put("outcome", errorCode == null ? "OK" : errorCode);
    return n;
  }
}
