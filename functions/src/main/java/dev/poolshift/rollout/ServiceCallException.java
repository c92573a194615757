package dev.poolshift.rollout;

/**
 * An AWS call failed in a way Poolshift does not recognise (for example AccessDenied or an
 * unexpected validation error). Terminal; the message carries the service's error code and text.
 */
public final class ServiceCallException extends RolloutException {
  public ServiceCallException(String message) {
    super(message);
  }

  public ServiceCallException(String message, Throwable cause) {
    super(message, cause);
  }
}
