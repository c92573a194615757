package dev.poolshift.local.template;

import java.nio.file.Path;
import java.util.Map;

/**
 * An {@code AWS::Serverless::StateMachine} (or {@code AWS::StepFunctions::StateMachine}).
 *
 * @param type {@code STANDARD} or {@code EXPRESS}
 * @param definition the definition JSON text after {@code DefinitionSubstitutions}
 * @param definitionFile the {@code DefinitionUri} file, or null for an inline definition
 * @param roleArn the role ARN ({@code Role}, or the role SAM generates)
 */
public record StateMachineDef(
    String logicalId,
    String name,
    String arn,
    String type,
    String definition,
    Path definitionFile,
    String roleArn,
    Map<String, EventSourceDef> events) {

  public StateMachineDef {
    events = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(events));
  }
}
