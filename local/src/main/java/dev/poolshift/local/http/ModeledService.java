package dev.poolshift.local.http;

/**
 * A service whose operations are written once against the model ({@link RequestParams} in, a
 * {@link Doc} out) and served on every protocol the service speaks: the AWS Query protocol
 * always, and, when the service has an {@link #targetPrefix() X-Amz-Target prefix}, AWS JSON
 * (requests with {@code X-Amz-Target}) and Smithy RPC v2 CBOR (requests to {@code
 * /service/<prefix>/operation/<Op>}), as a service that moved from Query answers all three.
 */
public abstract class ModeledService implements AwsService {
  private final String xmlns;
  private final String apiVersion;
  private final String jsonVersion;

  protected ModeledService(String xmlns, String apiVersion, String jsonVersion) {
    this.xmlns = xmlns;
    this.apiVersion = apiVersion;
    this.jsonVersion = jsonVersion;
  }

  /**
   * Runs one operation; returns its output, or null when it has none. Throws
   * {@link UnknownOperationException} for an operation the service does not have.
   */
  protected abstract Doc.Struct invoke(String operation, RequestParams input);

  /** The error shape ids for JSON and CBOR answers (the service is Query-compatible there). */
  protected abstract AwsJson.QueryCompatibleErrors queryCompatibleErrors();

  @Override
  public final HttpReply handle(HttpCall call) {
    if (targetPrefix() != null && targetPrefix().equals(RpcV2Cbor.serviceName(call))) {
      return RpcV2Cbor.serve(call, this::invoke, queryCompatibleErrors());
    }
    if (targetPrefix() != null && call.header("x-amz-target") != null) {
      return AwsJson.serve(call, jsonVersion, this::invoke, queryCompatibleErrors());
    }
    return QueryProtocol.serve(call, xmlns, apiVersion, this::invoke);
  }
}
