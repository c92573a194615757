package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

class SdkModuleTrimTest {
  private static final String MODEL = "software/amazon/awssdk/services/sagemaker/model/";

  @TempDir
  static Path work;

  private static Path fullJar;
  private static Path trimmedJar;

  @BeforeAll
  static void trimTheSageMakerModule() throws Exception {
    fullJar = Path.of(SageMakerClient.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    Path classes = Path.of(AwsClients.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    Path lib = Files.createDirectories(work.resolve("lib"));
    Files.copy(fullJar, lib.resolve(fullJar.getFileName()));
    SdkModuleTrim.main(new String[] {classes.toString(), lib.toString(),
        work.resolve("trimmed").toString()});
    trimmedJar = work.resolve("trimmed").resolve(fullJar.getFileName());
  }

  @Test
  void keepsTheOperationsPoolshiftCallsAndDropsTheOthers() throws Exception {
    Set<String> kept = entries(trimmedJar);

    assertThat(kept).contains(MODEL + "DescribeEndpointRequest$BuilderImpl.class",
        MODEL + "UpdateEndpointWeightsAndCapacitiesRequest$BuilderImpl.class",
        "software/amazon/awssdk/services/sagemaker/transform/CreateEndpointConfigRequestMarshaller.class");
    assertThat(kept).doesNotContain(MODEL + "CreateTrainingJobRequest$BuilderImpl.class",
        "software/amazon/awssdk/services/sagemaker/transform/CreateTrainingJobRequestMarshaller.class",
        "software/amazon/awssdk/services/sagemaker/DefaultSageMakerAsyncClient.class");
    assertThat(Files.size(trimmedJar)).isLessThan(Files.size(fullJar) / 2);
  }

  @Test
  void keepsEveryRequestAndResponseClassTheClientsVerificationLoads() throws Exception {
    Set<String> outerOperationClasses = entries(fullJar).stream()
        .filter(e -> e.startsWith(MODEL) && !e.contains("$")
            && (e.endsWith("Request.class") || e.endsWith("Response.class")))
        .collect(Collectors.toSet());

    assertThat(outerOperationClasses).hasSizeGreaterThan(700);
    assertThat(entries(trimmedJar)).containsAll(outerOperationClasses);
  }

  @Test
  void theTrimmedClientPassesVerification() throws Exception {
    List<URL> path = new ArrayList<>();
    path.add(trimmedJar.toUri().toURL());
    String testPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    for (String entry : testPath.split(File.pathSeparator)) {
      if (!entry.isBlank() && !Path.of(entry).equals(fullJar)) {
        path.add(Path.of(entry).toUri().toURL());
      }
    }
    try (URLClassLoader loader = new URLClassLoader(path.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      assertThatCode(() -> {
        Class.forName("software.amazon.awssdk.services.sagemaker.DefaultSageMakerClient", true,
            loader);
        Class.forName(MODEL.replace('/', '.') + "DescribeEndpointRequest$BuilderImpl", true,
            loader);
      }).doesNotThrowAnyException();
      assertThat(loader.loadClass(SageMakerClient.class.getName()).getProtectionDomain()
          .getCodeSource().getLocation()).isEqualTo(trimmedJar.toUri().toURL());
    }
  }

  private static Set<String> entries(Path jar) throws Exception {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(e -> e.getName()).collect(Collectors.toSet());
    }
  }
}
