package dev.poolshift.local.http;

/**
 * A request for an operation the local service does not implement. Services throw it; each
 * protocol renders it the one way AWS does on that protocol (see {@link QueryProtocol},
 * {@link JsonProtocolService}, {@link RpcV2Cbor}), so the shape is decided in one place.
 */
public final class UnknownOperationException extends RuntimeException {
  private final String operation;

  public UnknownOperationException(String operation) {
    super("unknown operation " + operation, null, false, false);
    this.operation = operation;
  }

  public String operation() {
    return operation;
  }
}
