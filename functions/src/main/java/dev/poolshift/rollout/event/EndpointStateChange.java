package dev.poolshift.rollout.event;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.JsonFields;

/**
 * "SageMaker Endpoint State Change". Only the endpoint's name is trusted: the status is kept for
 * the log, but events come doubled and out of order, so decisions read DescribeEndpoint.
 */
public record EndpointStateChange(EventEnvelope envelope, String endpointName, String status) {
  public static final String DETAIL_TYPE = "SageMaker Endpoint State Change";

  public static EndpointStateChange parse(EventEnvelope envelope) {
    envelope.requireType(DETAIL_TYPE);
    FieldErrors errors = new FieldErrors();
    JsonFields d = envelope.detailFields(errors);
    String name = d.string("EndpointName", true);
    String status = d.string("EndpointStatus", false);
    errors.throwIfAny("endpoint event " + envelope.id());
    return new EndpointStateChange(envelope, name, status);
  }
}
