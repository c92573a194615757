package dev.poolshift.handler;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.poolshift.aws.Json;
import dev.poolshift.rollout.event.EventEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.CorrelationIdPaths;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * What every handler does around its one use-case call: Powertools logging for the invocation
 * (Lambda context keys, cold start; cleared afterwards), read the input, write the result as
 * JSON, and one log line when the call ends in an error (the error's class name is what Step
 * Functions matches; its message never carries a task token).
 */
final class Handlers {
  private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);
  /** Where a step's payload names its execution. */
  static final String EXECUTION_NAME = "execution.name";
  /** An EventBridge event's id (Powertools' own path for EventBridge). */
  static final String EVENT_ID = CorrelationIdPaths.EVENT_BRIDGE;

  private Handlers() {}

  private static Object eventOrNull(byte[] request) {
    try {
      Object event = Json.readValue(request);
      return event instanceof Map<?, ?> ? event : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  static void handle(InputStream input, OutputStream output, Context context,
      Function<byte[], Object> call) {
    handle(input, output, context, null, call);
  }

  /**
   * As {@link #handle(InputStream, OutputStream, Context, Function)}, with Powertools'
   * {@code correlation_id} on every line read from the input at {@code correlationIdPath} (a
   * JMESPath): the execution name for the workflow's steps, the event id for EventBridge events.
   * An input that is not JSON has none; the call reports it.
   */
  static void handle(InputStream input, OutputStream output, Context context,
      String correlationIdPath, Function<byte[], Object> call) {
    byte[] request;
    try {
      request = input.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Supplier<Object> body = loggingFailure(() -> call.apply(request));
    Object event = correlationIdPath == null ? null : eventOrNull(request);
    Object result = event == null ? PowertoolsLogging.withLogging(context, body)
        : PowertoolsLogging.withLogging(context, correlationIdPath, event, body);
    try {
      output.write(Json.writeBytes(result));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * As {@link #handle(InputStream, OutputStream, Context, String, Function)} for a function typed
   * on the events library's EventBridge envelope: the Lambda runtime has read the event (and
   * writes the result); the use case gets the domain's envelope, and every line carries the
   * event id as {@code correlation_id}.
   */
  static <T> T handleEvent(ScheduledEvent event, Context context,
      Function<EventEnvelope, T> call) {
    Supplier<T> body = loggingFailure(() -> call.apply(EventBridgeEvents.envelope(event)));
    return event == null ? PowertoolsLogging.withLogging(context, body)
        : PowertoolsLogging.withLogging(context, EVENT_ID, event, body);
  }

  private static <T> Supplier<T> loggingFailure(Supplier<T> call) {
    return () -> {
      try {
        return call.get();
      } catch (RuntimeException e) {
        LOG.warn("invocation failed", entry("errorType", e.getClass().getName()),
            entry("errorMessage", e.getMessage()));
        throw e;
      }
    };
  }
}
