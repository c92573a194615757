package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.sim.Simulation;

/**
 * SageMaker on the AWS JSON 1.1 wire ({@code X-Amz-Target: SageMaker.<Operation>}, signing name
 * {@code sagemaker}), for the functions' SDK clients over loopback. Requests and responses are
 * the full JSON documents, including the members SDK 2.40.2 lacks ({@code InstancePools} and
 * friends), so a client that patches raw JSON sees them. The state lives in
 * {@link SageMakerWorld}; this adapter adds only the wire.
 */
public final class SageMakerService extends JsonProtocolService {
  private final SageMakerWorld world;

  public SageMakerService(SageMakerWorld world) {
    super("1.1");
    this.world = world;
  }

  /** A service over a new world. */
  public static SageMakerService create(Simulation sim, AwsContext aws, EventPublisher events) {
    return new SageMakerService(new SageMakerWorld(sim, aws, events));
  }

  public SageMakerWorld world() {
    return world;
  }

  @Override
  public String signingName() {
    return "sagemaker";
  }

  @Override
  public String targetPrefix() {
    return "SageMaker";
  }

  @Override
  protected JsonNode dispatch(String operation, ObjectNode request) {
    return world.handleWire(operation, request);
  }
}
