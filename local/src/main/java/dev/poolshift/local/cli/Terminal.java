package dev.poolshift.local.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the process's standard error is a terminal, where a progress line may be redrawn in place. */
final class Terminal {
  /** Set by the {@code ./poolshift} launcher, which can ask the shell ({@code [ -t 2 ]}): 1 or 0. */
  static final String STDERR_TTY = "POOLSHIFT_STDERR_TTY";

  private Terminal() {}

  static boolean stderrIsTerminal() {
    String told = System.getenv(STDERR_TTY);
    if ("1".equals(told) || "0".equals(told)) {
      return told.equals("1");
    }
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    // Without the launcher (java -jar): Java cannot ask isatty(2), but Linux names the file behind it.
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
