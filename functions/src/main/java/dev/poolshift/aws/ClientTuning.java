package dev.poolshift.aws;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * Adjusts the override configuration of every SDK client {@link AwsClients} builds. Found on the
 * class path with {@link java.util.ServiceLoader}, as the SDK finds its global execution
 * interceptors: the deployment package declares none, so on Lambda every client keeps the SDK's
 * own settings (its standard retry strategy included). The local runtime declares one that keeps
 * the SDK's retry decisions but spends the back-off on its virtual clock, so throttling shapes a
 * rehearsal's timeline and not its wall time.
 */
public interface ClientTuning {
  /** Called once per client, before anything of Poolshift's own is added. */
  void tune(ClientOverrideConfiguration.Builder overrides);
}
