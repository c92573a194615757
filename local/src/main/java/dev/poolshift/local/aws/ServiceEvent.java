package dev.poolshift.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An event an AWS service puts on the default event bus (SageMaker state changes, CloudWatch alarm
 * state changes, Step Functions execution status changes). The bus adds the envelope: {@code
 * version}, {@code id}, {@code account}, {@code time}, {@code region}.
 */
public record ServiceEvent(String source, String detailType, List<String> resources, JsonNode detail) {
  public ServiceEvent {
    resources = List.copyOf(resources);
  }
}
