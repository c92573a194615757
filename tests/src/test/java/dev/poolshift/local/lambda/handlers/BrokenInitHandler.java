package dev.poolshift.local.lambda.handlers;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Fails in its constructor, as a handler whose configuration is missing would. */
public class BrokenInitHandler {
  public static final AtomicInteger ATTEMPTS = new AtomicInteger();

  public BrokenInitHandler(Map<String, String> env) {
    ATTEMPTS.incrementAndGet();
    throw new IllegalArgumentException("MISSING_VAR is not set");
  }

  public String handle(Object input) {
    return "unreachable";
  }
}
