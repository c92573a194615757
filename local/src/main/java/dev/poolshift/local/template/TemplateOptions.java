package dev.poolshift.local.template;

import dev.poolshift.local.aws.AwsContext;
import java.util.Map;

/**
 * How a template is instantiated: the stack name (part of every generated physical name), the
 * account and Region the pseudo parameters report, and parameter values that override the
 * template's defaults ({@code sam deploy --parameter-overrides}).
 */
public record TemplateOptions(String stackName, AwsContext aws, Map<String, String> parameterOverrides) {
  /** The stack name the local runtime uses unless told otherwise. */
  public static final String DEFAULT_STACK_NAME = "poolshift";

  public TemplateOptions {
    if (stackName == null || !stackName.matches("[A-Za-z][A-Za-z0-9-]{0,127}")) {
      throw new IllegalArgumentException("stackName must start with a letter and contain only letters, digits and "
          + "hyphens (at most 128 characters), got '" + stackName + "'");
    }
    if (aws == null) {
      throw new IllegalArgumentException("aws context is required");
    }
    parameterOverrides = Map.copyOf(parameterOverrides);
  }

  public static TemplateOptions defaults() {
    return new TemplateOptions(DEFAULT_STACK_NAME, AwsContext.DEFAULT, Map.of());
  }

  public TemplateOptions withParameters(Map<String, String> overrides) {
    return new TemplateOptions(stackName, aws, overrides);
  }

  public TemplateOptions withStackName(String name) {
    return new TemplateOptions(name, aws, parameterOverrides);
  }
}
