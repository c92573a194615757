package dev.poolshift.rollout.endpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The instance types a SageMaker production variant accepts, and which of them carry local NVMe
 * instance storage, from the documented list {@code sagemaker/instance-types.txt} (where each
 * entry comes from is said there). A string shaped like {@code ml.<family>.<size>} is not
 * enough: CreateEndpointConfig validates the value against its enum.
 */
public final class InstanceTypes {
  private static final String RESOURCE = "/sagemaker/instance-types.txt";
  private static final Set<String> KNOWN;
  private static final Set<String> LOCAL_NVME;

  static {
    Set<String> known = new LinkedHashSet<>();
    Set<String> nvme = new LinkedHashSet<>();
    try (InputStream in = InstanceTypes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the build");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String entry = line.strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
          continue;
        }
        String[] parts = entry.split("\\s+");
        known.add(parts[0]);
        if (parts.length > 1 && parts[1].equals("local-nvme")) {
          nvme.add(parts[0]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KNOWN = Collections.unmodifiableSet(known);
    LOCAL_NVME = Collections.unmodifiableSet(nvme);
  }

  private InstanceTypes() {}

  /** Whether SageMaker hosts production variants on this type. */
  public static boolean known(String instanceType) {
    return KNOWN.contains(instanceType);
  }

  /**
   * Whether the type's instances have NVMe instance-store volumes: SageMaker encrypts those with
   * a hardware module and refuses a {@code KmsKeyId} in any config that uses the type.
   */
  public static boolean localNvme(String instanceType) {
    return LOCAL_NVME.contains(instanceType);
  }

  /** Every known type, in the list's order. */
  public static Set<String> all() {
    return KNOWN;
  }
}
