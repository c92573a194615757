package dev.poolshift.rollout.usecase.steps;

import dev.poolshift.rollout.profile.AllowedInstanceTypes;

/**
 * From the function's environment.
 *
 * @param managedAlarmPrefix {@code MANAGED_ALARM_PREFIX}
 * @param stackExecutionRoleArn {@code SAGEMAKER_EXECUTION_ROLE_ARN}: the only role the stack
 *     may pass; a profile naming another is a plan risk (null: unknown)
 * @param stateTable {@code STATE_TABLE}, for the commands in notifications (null: unknown)
 * @param allowedInstanceTypes {@code ALLOWED_INSTANCE_TYPES}: the types a rollout may put in an
 *     endpoint config
 */
public record Settings(String managedAlarmPrefix, String stackExecutionRoleArn,
    String stateTable, AllowedInstanceTypes allowedInstanceTypes) {

  public Settings {
    allowedInstanceTypes = allowedInstanceTypes == null ? AllowedInstanceTypes.ANY
        : allowedInstanceTypes;
  }

  /** Every instance type allowed. */
  public Settings(String managedAlarmPrefix, String stackExecutionRoleArn, String stateTable) {
    this(managedAlarmPrefix, stackExecutionRoleArn, stateTable, AllowedInstanceTypes.ANY);
  }
}

