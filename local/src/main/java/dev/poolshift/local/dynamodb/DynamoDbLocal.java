package dev.poolshift.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The one DynamoDB Local server of this JVM ({@code com.amazonaws:DynamoDBLocal}, in memory),
 * started on first use and shared: it takes seconds to start, and it keeps a separate database
 * per access key id and Region, so {@link DynamoDbService} instances isolate themselves by key.
 *
 * <p>Its SQLite binding needs a native library as a file: the build ships it as a classpath
 * resource under {@code native/sqlite4java/}; it is copied to a temporary directory named by
 * {@code sqlite4java.library.path} before the server starts.
 */
public final class DynamoDbLocal {
  private static DynamoDbLocal instance;

  private final DynamoDBProxyServer server;
  private final URI endpoint;

  private DynamoDbLocal(DynamoDBProxyServer server, int port) {
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port + "/");
  }

  /** The server's endpoint, starting it if needed. */
  public static synchronized URI endpoint() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          instance.server.stop();
        } catch (Exception ignored) {
          // the JVM is going away; nothing to clean up that matters
        }
      }, "dynamodb-local-stop"));
    }
    return instance.endpoint;
  }

  private static DynamoDbLocal start() {
    System.setProperty("sqlite4java.library.path", extractNativeLibrary().toString());
    Exception last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      try {
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
            new String[] {"-inMemory", "-port", String.valueOf(port)});
        server.start();
        return new DynamoDbLocal(server, port);
      } catch (Exception e) {
        // Most likely another process took the port between probing and binding: try another.
        last = e;
      }
    }
    throw new IllegalStateException("DynamoDB Local did not start: " + last.getMessage(), last);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for DynamoDB Local", e);
    }
  }

  private static Path extractNativeLibrary() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String file;
    if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      file = "libsqlite4java-linux-amd64.so";
    } else if (os.contains("mac")) {
      file = "libsqlite4java-osx.dylib";
    } else {
      throw new IllegalStateException("DynamoDB Local's SQLite library is shipped for Linux x86-64 and macOS only; this "
          + "machine is " + os + "/" + arch);
    }
    String resource = "native/sqlite4java/" + file;
    try (InputStream in = DynamoDbLocal.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath (the local module's build copies it there)");
      }
      Path dir = Files.createTempDirectory("poolshift-sqlite4java");
      Path target = dir.resolve(file);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      target.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource, e);
    }
  }
}
