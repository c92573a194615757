package dev.poolshift;

import dev.poolshift.local.lambda.LogCapture;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the local runtime's per-function log capture once, before any test class is loaded.
 *
 * <p>Installing it swaps standard output and restarts Log4j; loggers that classes created before
 * that restart stop reaching appenders attached afterwards. Production never restarts Log4j, and
 * the local runtime installs the capture before it loads a handler; in one test JVM, though, a
 * test that loads handler classes directly could run before the first runtime starts, and a later
 * test's log assertions would then see nothing (seen: TemplateWiringTest, then a runtime, then
 * HandlersTest). Doing it first makes the order of test classes irrelevant.
 */
public final class LocalLogCaptureSession implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    LogCapture.install();
  }
}
