package dev.poolshift.local.lambda;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Routes what a handler prints to stdout/stderr into its function's log, as Lambda sends a
 * function's output to its own log stream. {@link System#out} and {@link System#err} are replaced
 * once per JVM by streams that look at the writing thread: while a thread runs a handler its
 * lines go to that invocation's sink, every other thread writes through to the original streams.
 *
 * <p>Log4j's console appender keeps the {@code System.out} it found when it was configured, so
 * {@link #install()} restarts Log4j after swapping the streams: handler logging through
 * Powertools/Log4j is captured however early Log4j was initialised (by an SDK client, for
 * example). The Lambda service installs it when it is created.
 */
public final class LogCapture {
  private static final ThreadLocal<Consumer<String>> SINK = new ThreadLocal<>();
  private static final ThreadLocal<ByteArrayOutputStream> PENDING = ThreadLocal.withInitial(ByteArrayOutputStream::new);
  private static PrintStream originalOut;
  private static boolean installed;

  private LogCapture() {}

  /** Replaces stdout/stderr with the routing streams (once per JVM). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    originalOut = System.out;
    System.setOut(new PrintStream(new Demux(System.out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Demux(System.err), true, StandardCharsets.UTF_8));
    installed = true;
    reconfigureLog4j();
  }

  /**
   * A plain reconfigure would hand the new console appender the old appender's stream manager
   * (Log4j shares managers by name), so the context is stopped, which closes the manager (the
   * console stream itself is shielded from closing), and started again.
   */
  private static void reconfigureLog4j() {
    if (org.apache.logging.log4j.LogManager.getContext(false)
        instanceof org.apache.logging.log4j.core.LoggerContext context) {
      context.stop();
      context.start();
    }
  }

  /** The stdout that was in place before {@link #install()}, for echoing captured lines. */
  static synchronized PrintStream originalOut() {
    return originalOut == null ? System.out : originalOut;
  }

  /** Runs {@code body} with this thread's output going to {@code sink}, one call per line. */
  static <T> T capture(Consumer<String> sink, java.util.concurrent.Callable<T> body) throws Exception {
    Consumer<String> previous = SINK.get();
    SINK.set(sink);
    try {
      return body.call();
    } finally {
      System.out.flush();
      System.err.flush();
      flushPending(sink);
      if (previous == null) {
        SINK.remove();
      } else {
        SINK.set(previous);
      }
    }
  }

  private static void flushPending(Consumer<String> sink) {
    ByteArrayOutputStream pending = PENDING.get();
    if (pending.size() > 0) {
      sink.accept(pending.toString(StandardCharsets.UTF_8));
      pending.reset();
    }
  }

  private static final class Demux extends OutputStream {
    private final OutputStream original;

    Demux(OutputStream original) {
      this.original = original;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
      Consumer<String> sink = SINK.get();
      if (sink == null) {
        try {
          original.write(bytes, off, len);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return;
      }
      ByteArrayOutputStream pending = PENDING.get();
      for (int i = off; i < off + len; i++) {
        if (bytes[i] == '\n') {
          String line = pending.toString(StandardCharsets.UTF_8);
          pending.reset();
          sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        } else {
          pending.write(bytes[i]);
        }
      }
    }

    @Override
    public void flush() throws java.io.IOException {
      if (SINK.get() == null) {
        original.flush();
      }
    }
  }
}
