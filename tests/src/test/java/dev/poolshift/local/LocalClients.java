package dev.poolshift.local;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** AWS SDK clients for a local service, configured the way the functions' clients are: endpoint override only. */
public final class LocalClients {
  private LocalClients() {}

  /** {@code builder} pointed at {@code endpoint}, us-east-1, any static credentials, the URL-connection client. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C against(
      B builder, URI endpoint) {
    return builder.endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
