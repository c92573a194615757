package dev.poolshift.rollout.usecase.support;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.ManagedTag;
import dev.poolshift.rollout.port.Endpoints;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan's check that the endpoint was handed to Poolshift ({@link ManagedTag}). IAM denies
 * Poolshift's updates to any other endpoint; checking here refuses the rollout before it creates
 * a model or config, with the fix in the message, instead of an AccessDenied half-way.
 */
public final class EndpointOwnership {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointOwnership.class);

  private EndpointOwnership() {}

  /**
   * Nothing when the endpoint carries the tag. Otherwise a dry run gets the refusal back as a
   * plan risk; a real rollout is rejected as bad input (the profile names an endpoint nobody
   * handed over: retrying cannot help, tagging it can).
   *
   * @throws InvalidInputException for a real rollout of an untagged endpoint
   */
  public static List<String> require(Endpoints endpoints, String endpointName, boolean dryRun) {
    Map<String, String> tags = endpoints.endpointTags(endpointName);
    if (ManagedTag.isManaged(tags)) {
      return List.of();
    }
    String why = ManagedTag.notManaged(endpointName, tags);
    LOG.info(dryRun ? "dry run: endpoint not managed by Poolshift" : "rollout refused: endpoint not managed by Poolshift",
        entry("endpointName", endpointName), entry("tag", ManagedTag.KEY),
        entry("tagValue", tags.get(ManagedTag.KEY)), entry("dryRun", dryRun));
    if (dryRun) {
      return List.of(why + "; a rollout now would be rejected before any change");
    }
    throw new InvalidInputException("rollout input", "endpointName", why);
  }
}
