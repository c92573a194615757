package dev.poolshift.rollout.event;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.JsonFields;

/**
 * "SageMaker Endpoint State Change". Only the endpoint's name is trusted: the status is kept for
 * the log, but events come doubled and out of order, so decisions read DescribeEndpoint.
 * {@code sighting} names the change the event reports (status, config, modification time), so
 * copies of one change can be told apart from a new one; null when the event lacks one of them.
 */
public record EndpointStateChange(EventEnvelope envelope, String endpointName, String status,
    String sighting) {
  public static final String DETAIL_TYPE = "SageMaker Endpoint State Change";

  public static EndpointStateChange parse(EventEnvelope envelope) {
    envelope.requireType(DETAIL_TYPE);
    FieldErrors errors = new FieldErrors();
    JsonFields d = envelope.detailFields(errors);
    String name = d.string("EndpointName", true);
    String status = d.string("EndpointStatus", false);
    errors.throwIfAny("endpoint event " + envelope.id());
    // Read apart: an event whose change cannot be named is still handled, only not deduplicated.
    FieldErrors lenient = new FieldErrors();
    JsonFields change = envelope.detailFields(lenient);
    Long modified = change.has("LastModifiedTime") ? change.integer("LastModifiedTime", false) : null;
    String config = change.string("EndpointConfigName", false);
    if (!lenient.isEmpty()) {
      modified = null;
    }
    // SageMaker may send one state change several times, each copy with its own event id: the
    // same status, config and modification time name one change.
    String sighting = status == null || modified == null || config == null ? null
        : status + "@" + modified + "@" + config;
    return new EndpointStateChange(envelope, name, status, sighting);
  }
}
