/**
 * SageMaker AI control plane for the local runtime, on the AWS JSON 1.1 wire.
 *
 * <p>Entry points: {@link dev.poolshift.local.sagemaker.SageMakerService} (register it on the
 * {@code Gateway}) and {@link dev.poolshift.local.sagemaker.SageMakerWorld} (seed, configure,
 * inject faults, read state). Behaviour follows AWS's documentation of SageMaker AI; where it
 * leaves a fact unconfirmed (docs/sagemaker.md lists them), the simulation takes the harsher
 * reading:
 *
 * <ul>
 *   <li>Endpoint configs: {@code InstanceType} and {@code InstancePools} are exclusive; pools
 *       need 2–5 entries with unique priorities and instance types; no pools on shadow variants
 *       or with ManagedInstanceScaling enabled.
 *   <li>{@code VariantInstanceProvisionTimeoutInSeconds} is one budget for all pools together,
 *       counted from the start of provisioning; 300 s when omitted; it does not apply to
 *       single-type variants, which fail on InsufficientInstanceCapacity without waiting.
 *   <li>UpdateEndpoint re-provisions every variant of the new config, even unchanged ones, while
 *       the old fleet keeps its instances; {@code EndpointConfigName} changes only when the
 *       update has fully succeeded (old fleet terminated).
 *   <li>Every pool type needs an endpoint-usage quota of at least 1 (when quotas are set).
 *   <li>CreateModel refuses registry versions that are not {@code Approved}, and model data
 *       ({@code ModelDataUrl}, {@code ModelDataSource}) next to {@code ModelPackageName}; it
 *       accepts {@code Environment} there (as AWS's SageMaker Python SDK sends it) and requires
 *       an execution role.
 *   <li>Model package events: a created package carries no {@code UpdatedModelPackageFields};
 *       an update lists every member the request set, changed or not.
 *   <li>Endpoint events: statuses in UPPER_SNAKE for all values; no {@code InstancePools} and no
 *       {@code VariantName} in event variants (as in the documented example); the
 *       {@code EndpointConfigName} is the active config, not the one being deployed.
 *   <li>DescribeEndpoint while {@code Creating} has no {@code ProductionVariants}, only
 *       {@code PendingDeploymentSummary}; pool summaries list only types with instances.
 *   <li>Deleting a config that an in-flight update is deploying fails that update.
 *   <li>ListModelPackages without {@code ModelPackageType} lists a named group's versions (as
 *       observed); every List call pages 10 items by default.
 * </ul>
 *
 * <p>Not simulated: serverless variants, inference components' metrics and scaling (their APIs are,
 * see {@code InferenceComponents}), async invocation (an asynchronous
 * endpoint's metrics are, see {@code TrafficModel}), guardrail
 * traffic steps (canary, linear and rolling deployments run as all-at-once blue/green, with the
 * routing wait and {@code TerminationWaitInSeconds} as one bake during which auto-rollback alarms
 * are watched if an alarm source is set), model package validation jobs (packages are
 * {@code Completed} at once), and the "Endpoint Deployment State Change" events.
 */
package dev.poolshift.local.sagemaker;
