package dev.poolshift.local.aws;

/**
 * An error a local service returns the way AWS does: an HTTP status, an error code (the wire
 * {@code __type}) and a message. The gateway renders it in the protocol of the service.
 */
public class AwsServiceException extends RuntimeException {
  private final int status;
  private final String code;
  private final dev.poolshift.local.http.Doc.Struct details;

  public AwsServiceException(int status, String code, String message) {
    this(status, code, message, null);
  }

  /**
   * @param details members the error shape has besides its message (e.g. CloudWatch's
   *     {@code DashboardValidationMessages}), rendered in every protocol; null for none
   */
  public AwsServiceException(int status, String code, String message,
      dev.poolshift.local.http.Doc.Struct details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The error shape's other members, or null. */
  public dev.poolshift.local.http.Doc.Struct details() {
    return details;
  }

  /** HTTP 400 with the given code, the usual client error. */
  public static AwsServiceException client(String code, String message) {
    return new AwsServiceException(400, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
