package dev.poolshift.handler;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import dev.poolshift.aws.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * What every handler does around its one use-case call: Powertools logging for the invocation
 * (Lambda context keys, cold start; cleared afterwards), read the input, write the result as
 * JSON, and one log line when the call ends in an error (the error's class name is what Step
 * Functions matches; its message never carries a task token).
 */
final class Handlers {
  private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

  private Handlers() {}

  static void handle(InputStream input, OutputStream output, Context context,
      Function<byte[], Object> call) {
    byte[] request;
    try {
      request = input.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Object result = PowertoolsLogging.withLogging(context, () -> {
      try {
        return call.apply(request);
      } catch (RuntimeException e) {
        LOG.warn("invocation failed", entry("errorType", e.getClass().getName()),
            entry("errorMessage", e.getMessage()));
        throw e;
      }
    });
    try {
      output.write(Json.writeBytes(result));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
