package dev.poolshift.aws;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Adjusts the override configuration of every SDK client {@link AwsClients} builds. Found on the
 * class path with {@link java.util.ServiceLoader}, as the SDK finds its global execution
 * interceptors: the deployment package declares none, so on Lambda every client keeps the SDK's
 * own settings (its standard retry strategy included). The local runtime declares one that keeps
 * the SDK's retry decisions but spends the back-off on its virtual clock, so throttling shapes a
 * rehearsal's timeline and not its wall time, and one that hands requests to its gateway without a
 * socket.
 */
public interface ClientTuning {
  /** Called once per client, before anything of Poolshift's own is added. */
  void tune(ClientOverrideConfiguration.Builder overrides);

  /**
   * The HTTP client every client of this environment shares, given the one it would use. Called
   * once per environment; the default keeps it.
   */
  default SdkHttpClient httpClient(SdkHttpClient given) {
    return given;
  }
}
