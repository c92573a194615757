package dev.poolshift.local.lambda.handlers;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/** Named-method handlers that fail in the ways the error-shape tests need. */
public class FailingHandler {
  /** How many more calls of {@link #flaky} fail; shared by all instances like any static state. */
  public static final AtomicInteger FLAKY_FAILURES_LEFT = new AtomicInteger();

  public static final class WeightUpdateRejectedException extends RuntimeException {
    public WeightUpdateRejectedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public void nested(InputStream in, OutputStream out) {
    throw new WeightUpdateRejectedException("weights rejected", new IllegalStateException("endpoint is Updating"));
  }

  public String nullMessage(Object input) {
    throw new IllegalStateException();
  }

  public String flaky(Object input) {
    if (FLAKY_FAILURES_LEFT.getAndDecrement() > 0) {
      throw new IllegalStateException("not yet");
    }
    return "done";
  }
}
