package dev.poolshift.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An invocation record Lambda sent to an {@code EventInvokeConfig} destination: {@code condition}
 * is {@code Success}, {@code RetriesExhausted} or {@code EventAgeExceeded}; {@code record} has the
 * documented shape ({@code version}, {@code timestamp}, {@code requestContext},
 * {@code requestPayload}, {@code responseContext}, {@code responsePayload}).
 */
public record DestinationRecord(String destinationArn, String functionName, String condition, JsonNode record,
    Instant time) {}
