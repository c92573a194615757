package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Model Registry: model package groups and (versioned or unversioned) model packages, with
 * the "SageMaker Model Package State Change" events. Packages validate instantly (status
 * {@code Completed} at creation): the registry's own validation jobs are out of scope.
 */
final class ModelRegistrySimulator {
  static final String[] APPROVAL = {"Approved", "Rejected", "PendingManualApproval"};
  private static final int MAX_ADDITIONAL_SPECS = 15;

  /** Request-only members that are not part of the described package. */
  private static final Set<String> REQUEST_ONLY = Set.of("ClientToken", "Tags", "ModelPackageGroupName",
      "ModelPackageName");

  static final class Group {
    final String name;
    final String arn;
    final String description;
    final Instant created;
    final long seq;

    Group(String name, String arn, String description, Instant created, long seq) {
      this.name = name;
      this.arn = arn;
      this.description = description;
      this.created = created;
      this.seq = seq;
    }
  }

  static final class Package {
    final String arn;
    final String name;
    final Group group;
    final Integer version;
    final Instant created;
    final long seq;
    /** Every described member except the computed ones (ARN, times, status). */
    final ObjectNode doc;
    Instant lastModified;
    final Set<String> updateTokens = new HashSet<>();

    Package(String arn, String name, Group group, Integer version, Instant created, long seq, ObjectNode doc) {
      this.arn = arn;
      this.name = name;
      this.group = group;
      this.version = version;
      this.created = created;
      this.seq = seq;
      this.doc = doc;
      this.lastModified = created;
    }

    String approval() {
      return doc.path("ModelApprovalStatus").asText(null);
    }

    /** The first container image of the main spec or of the named additional spec. */
    String image(String specName) {
      JsonNode spec = specName == null ? doc.path("InferenceSpecification") : additionalSpec(specName);
      return spec == null ? null : spec.path("Containers").path(0).path("Image").asText(null);
    }

    JsonNode additionalSpec(String specName) {
      for (JsonNode s : doc.path("AdditionalInferenceSpecifications")) {
        if (specName.equals(s.path("Name").asText())) {
          return s;
        }
      }
      return null;
    }
  }

  private final SageMakerWorld w;
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Map<String, Package> packages = new LinkedHashMap<>();
  private final Map<String, Integer> lastVersion = new HashMap<>();
  private final Map<String, Package> byClientToken = new HashMap<>();

  ModelRegistrySimulator(SageMakerWorld w) {
    this.w = w;
  }

  // ------------------------------------------------------------------ groups

  ObjectNode createGroup(ObjectNode req, Instant now) {
    String name = Wire.name(req, "ModelPackageGroupName", "");
    String description = Wire.text(req, "ModelPackageGroupDescription", "");
    String arn = w.arn("model-package-group/" + Wire.lower(name));
    if (groups.containsKey(Wire.lower(name))) {
      throw Errors.alreadyExists("model package group", arn);
    }
    var tags = Tags.read(req, "");
    Group g = new Group(name, arn, description, now, w.nextSequence());
    groups.put(Wire.lower(name), g);
    w.tags.put(arn, tags);
    return LocalJson.object().put("ModelPackageGroupArn", arn);
  }

  ObjectNode describeGroup(ObjectNode req) {
    Group g = requireGroup(Wire.requiredText(req, "ModelPackageGroupName", ""));
    return groupSummary(g);
  }

  ObjectNode listGroups(ObjectNode req) {
    List<Group> all = new ArrayList<>(groups.values());
    all = Listing.filterName(all, req, g -> g.name);
    all = Listing.filterTime(all, req, "CreationTime", g -> g.created);
    Listing.Page<Group> page = Listing.page(Listing.sort(all, req, Map.of("Name", (Group g) -> g.name,
        "CreationTime", (Group g) -> Listing.time(g.created)), "CreationTime", "Ascending", g -> g.seq), req);
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("ModelPackageGroupSummaryList");
    page.items().forEach(g -> list.add(groupSummary(g)));
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  private ObjectNode groupSummary(Group g) {
    ObjectNode n = LocalJson.object();
    n.put("ModelPackageGroupName", g.name);
    n.put("ModelPackageGroupArn", g.arn);
    if (g.description != null) {
      n.put("ModelPackageGroupDescription", g.description);
    }
    n.put("CreationTime", Wire.epochSeconds(g.created));
    n.put("ModelPackageGroupStatus", "Completed");
    return n;
  }

  /** By name or ARN. */
  private Group requireGroup(String nameOrArn) {
    String key = Wire.lower(nameOrArn);
    if (key.startsWith("arn:")) {
      key = key.substring(key.lastIndexOf('/') + 1);
    }
    Group g = groups.get(key);
    if (g == null) {
      throw Errors.validation("Model Package Group " + nameOrArn + " does not exist.");
    }
    return g;
  }

  // ------------------------------------------------------------------ packages

  ObjectNode createPackage(ObjectNode req, Instant now, boolean emit) {
    String groupRef = Wire.text(req, "ModelPackageGroupName", "");
    String unversionedName = Wire.text(req, "ModelPackageName", "");
    if (groupRef != null && unversionedName != null) {
      throw Errors.validation("ModelPackageName and ModelPackageGroupName cannot both be specified: a "
          + "versioned package takes its name from its group.");
    }
    if (groupRef == null && unversionedName == null) {
      throw Errors.validation("Either ModelPackageGroupName (versioned package) or ModelPackageName "
          + "(unversioned package) must be specified.");
    }
    String token = Wire.text(req, "ClientToken", "");
    if (token != null && byClientToken.containsKey(token)) {
      // The SDK fills ClientToken and reuses it on retries: a retried create is not a new version.
      return LocalJson.object().put("ModelPackageArn", byClientToken.get(token).arn);
    }
    String approval = Wire.oneOf(req, "ModelApprovalStatus", "", APPROVAL);
    validateSpec(Wire.object(req, "InferenceSpecification", ""), "inferenceSpecification.");
    ArrayNode additional = Wire.array(req, "AdditionalInferenceSpecifications", "");
    validateAdditional(additional, new HashSet<>(), "additionalInferenceSpecifications");
    Wire.object(req, "CustomerMetadataProperties", "");
    var tags = Tags.read(req, "");

    Group group = null;
    Integer version = null;
    String name;
    String arn;
    if (groupRef != null) {
      group = requireGroup(groupRef);
      version = lastVersion.merge(Wire.lower(group.name), 1, Integer::sum);
      name = group.name;
      arn = w.arn("model-package/" + Wire.lower(group.name) + "/" + version);
    } else {
      Wire.checkName(unversionedName, "modelPackageName");
      name = unversionedName;
      arn = w.arn("model-package/" + Wire.lower(unversionedName));
      if (packages.containsKey(Wire.lower(arn))) {
        throw Errors.alreadyExists("model package", arn);
      }
    }
    ObjectNode doc = req.deepCopy();
    REQUEST_ONLY.forEach(doc::remove);
    if (group != null && approval == null) {
      // Versioned packages start PendingManualApproval unless created with a status.
      doc.put("ModelApprovalStatus", "PendingManualApproval");
    }
    if (!doc.has("CertifyForMarketplace")) {
      doc.put("CertifyForMarketplace", false);
    }
    Package p = new Package(arn, name, group, version, now, w.nextSequence(), doc);
    packages.put(Wire.lower(arn), p);
    if (token != null) {
      byClientToken.put(token, p);
    }
    w.tags.put(arn, tags);
    if (emit) {
      // Whether a created package carries UpdatedModelPackageFields is unconfirmed: we
      // leave it out, the harsher case for a loop-safe rule that requires it.
      emitEvent(p, null);
    }
    return LocalJson.object().put("ModelPackageArn", arn);
  }

  ObjectNode describePackage(ObjectNode req) {
    Package p = requirePackage(Wire.requiredText(req, "ModelPackageName", ""));
    Wire.oneOf(req, "IncludedData", "", "AllData", "MetadataOnly");
    return describe(p);
  }

  ObjectNode describe(Package p) {
    ObjectNode n = LocalJson.object();
    n.put("ModelPackageName", p.name);
    if (p.group != null) {
      n.put("ModelPackageGroupName", p.group.name);
      n.put("ModelPackageVersion", p.version);
    }
    n.put("ModelPackageArn", p.arn);
    n.setAll(p.doc.deepCopy());
    n.put("CreationTime", Wire.epochSeconds(p.created));
    n.put("ModelPackageStatus", "Completed");
    ObjectNode details = n.putObject("ModelPackageStatusDetails");
    details.putArray("ValidationStatuses");
    details.putArray("ImageScanStatuses");
    n.put("LastModifiedTime", Wire.epochSeconds(p.lastModified));
    return n;
  }

  ObjectNode listPackages(ObjectNode req) {
    String groupRef = Wire.text(req, "ModelPackageGroupName", "");
    String approval = Wire.oneOf(req, "ModelApprovalStatus", "", APPROVAL);
    String type = Wire.oneOf(req, "ModelPackageType", "", "Versioned", "Unversioned", "Both");
    // Documented default: Unversioned. Observed: naming a group lists its versions. We
    // follow the observation, since that is what callers passing only the group rely on.
    String effectiveType = type != null ? type : groupRef != null ? "Versioned" : "Unversioned";
    Group group = groupRef == null ? null : groups.get(groupKey(groupRef));
    List<Package> all = new ArrayList<>();
    for (Package p : packages.values()) {
      boolean versioned = p.group != null;
      if (effectiveType.equals("Versioned") && !versioned || effectiveType.equals("Unversioned") && versioned) {
        continue;
      }
      if (groupRef != null && p.group != group) {
        continue;
      }
      if (approval != null && !approval.equals(p.approval())) {
        continue;
      }
      all.add(p);
    }
    all = Listing.filterName(all, req, p -> p.name);
    all = Listing.filterTime(all, req, "CreationTime", p -> p.created);
    Listing.Page<Package> page = Listing.page(Listing.sort(all, req, Map.of("Name", (Package p) -> p.name,
        "CreationTime", (Package p) -> Listing.time(p.created)), "CreationTime", "Ascending", p -> p.seq), req);
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("ModelPackageSummaryList");
    for (Package p : page.items()) {
      ObjectNode s = list.addObject();
      s.put("ModelPackageName", p.name);
      if (p.group != null) {
        s.put("ModelPackageGroupName", p.group.name);
        s.put("ModelPackageVersion", p.version);
      }
      s.put("ModelPackageArn", p.arn);
      copy(p.doc, s, "ModelPackageDescription", "ModelApprovalStatus", "ModelLifeCycle",
          "ModelPackageRegistrationType");
      s.put("CreationTime", Wire.epochSeconds(p.created));
      s.put("ModelPackageStatus", "Completed");
    }
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  private String groupKey(String nameOrArn) {
    String key = Wire.lower(nameOrArn);
    return key.startsWith("arn:") ? key.substring(key.lastIndexOf('/') + 1) : key;
  }

  ObjectNode updatePackage(ObjectNode req, Instant now) {
    Package p = requirePackage(Wire.requiredText(req, "ModelPackageArn", ""));
    String token = Wire.text(req, "ClientToken", "");
    if (token != null && p.updateTokens.contains(token)) {
      return LocalJson.object().put("ModelPackageArn", p.arn);
    }
    ObjectNode doc = p.doc.deepCopy();
    // The event lists the members the request set, even when the value did not change: the
    // harsher reading for consumers (re-sending Approved with a metadata stamp looks like an
    // approval again).
    List<String> updated = new ArrayList<>();
    String approval = Wire.oneOf(req, "ModelApprovalStatus", "", APPROVAL);
    if (approval != null) {
      doc.put("ModelApprovalStatus", approval);
      updated.add("ModelApprovalStatus");
    }
    String description = Wire.text(req, "ApprovalDescription", "");
    if (description != null) {
      doc.put("ApprovalDescription", description);
      updated.add("ApprovalDescription");
    }
    ObjectNode props = Wire.object(req, "CustomerMetadataProperties", "");
    ArrayNode remove = Wire.array(req, "CustomerMetadataPropertiesToRemove", "");
    if (props != null || remove != null) {
      ObjectNode merged = doc.has("CustomerMetadataProperties")
          ? (ObjectNode) doc.get("CustomerMetadataProperties") : doc.putObject("CustomerMetadataProperties");
      if (props != null) {
        merged.setAll(props.deepCopy());
      }
      if (remove != null) {
        remove.forEach(k -> merged.remove(k.asText()));
      }
      updated.add("CustomerMetadataProperties");
    }
    ArrayNode add = Wire.array(req, "AdditionalInferenceSpecificationsToAdd", "");
    if (add != null) {
      Set<String> names = new HashSet<>();
      doc.path("AdditionalInferenceSpecifications").forEach(s -> names.add(s.path("Name").asText()));
      validateAdditional(add, names, "additionalInferenceSpecificationsToAdd");
      ArrayNode specs = doc.has("AdditionalInferenceSpecifications")
          ? (ArrayNode) doc.get("AdditionalInferenceSpecifications") : doc.putArray("AdditionalInferenceSpecifications");
      if (specs.size() + add.size() > MAX_ADDITIONAL_SPECS) {
        throw Errors.validation("A model package can have at most " + MAX_ADDITIONAL_SPECS
            + " additional inference specifications (has " + specs.size() + ", adding " + add.size() + ").");
      }
      add.forEach(s -> specs.add(s.deepCopy()));
      updated.add("AdditionalInferenceSpecifications");
    }
    ObjectNode spec = Wire.object(req, "InferenceSpecification", "");
    if (spec != null) {
      validateSpec(spec, "inferenceSpecification.");
      doc.set("InferenceSpecification", spec.deepCopy());
      updated.add("InferenceSpecification");
    }
    for (String member : List.of("ModelLifeCycle", "ModelCard", "SourceUri", "ModelPackageRegistrationType")) {
      JsonNode v = req.get(member);
      if (v != null && !v.isNull()) {
        doc.set(member, v.deepCopy());
        // The event spells this one in camel case (as in AWS's sample).
        updated.add(member.equals("SourceUri") ? "sourceUri" : member);
      }
    }
    if (updated.isEmpty()) {
      throw Errors.validation("UpdateModelPackage needs at least one member to update.");
    }
    p.doc.removeAll();
    p.doc.setAll(doc);
    p.lastModified = now;
    if (token != null) {
      p.updateTokens.add(token);
    }
    emitEvent(p, updated);
    return LocalJson.object().put("ModelPackageArn", p.arn);
  }

  /** By ARN (any case) or, for an unversioned package, by name. */
  Package find(String nameOrArn) {
    String key = Wire.lower(nameOrArn);
    if (!key.startsWith("arn:")) {
      key = Wire.lower(w.arn("model-package/" + key));
    }
    return packages.get(key);
  }

  Package requirePackage(String nameOrArn) {
    Package p = find(nameOrArn);
    if (p == null) {
      throw Errors.validation("ModelPackage " + nameOrArn + " does not exist.");
    }
    return p;
  }

  private void emitEvent(Package p, List<String> updatedFields) {
    ObjectNode detail = describe(p);
    // The documented event example carries ISO-8601 strings where the API has epoch seconds.
    detail.put("CreationTime", p.created.toString());
    detail.put("LastModifiedTime", p.lastModified.toString());
    if (updatedFields != null) {
      ArrayNode f = detail.putArray("UpdatedModelPackageFields");
      updatedFields.forEach(f::add);
    }
    w.emit(new ServiceEvent("aws.sagemaker", "SageMaker Model Package State Change", List.of(p.arn), detail),
        w.modelPackageEventCopies());
  }

  // ------------------------------------------------------------------ validation

  private static void validateSpec(ObjectNode spec, String prefix) {
    if (spec == null) {
      return;
    }
    ArrayNode containers = Wire.array(spec, "Containers", prefix);
    if (containers == null || containers.isEmpty() || containers.size() > 15) {
      throw Errors.constraint(Wire.path(prefix, "Containers"), containers == null ? null : containers.size(),
          "Member must have length between 1 and 15");
    }
    for (int i = 0; i < containers.size(); i++) {
      ObjectNode c = Wire.elementObject(containers, i, prefix, "Containers");
      String p = Wire.element(prefix, "Containers", i);
      Wire.requiredText(c, "Image", p);
      ObjectNode env = Wire.object(c, "Environment", p);
      if (env != null && env.size() > 16) {
        throw Errors.constraint(Wire.path(p, "Environment"), env.size() + " entries",
            "Member must have length less than or equal to 16");
      }
    }
  }

  private static void validateAdditional(ArrayNode specs, Set<String> existingNames, String field) {
    if (specs == null) {
      return;
    }
    if (specs.size() > MAX_ADDITIONAL_SPECS) {
      throw Errors.constraint(field, specs.size() + " specifications",
          "Member must have length less than or equal to " + MAX_ADDITIONAL_SPECS);
    }
    String fieldName = Character.toUpperCase(field.charAt(0)) + field.substring(1);
    for (int i = 0; i < specs.size(); i++) {
      ObjectNode s = Wire.elementObject(specs, i, "", fieldName);
      String p = Wire.element("", fieldName, i);
      String name = Wire.requiredText(s, "Name", p);
      Wire.checkName(name, Wire.path(p, "Name"));
      if (!existingNames.add(name)) {
        throw Errors.validation("Additional inference specification name '" + name + "' is used more than once.");
      }
      validateSpec(s, p);
    }
  }

  private static void copy(ObjectNode from, ObjectNode to, String... members) {
    for (String m : members) {
      JsonNode v = from.get(m);
      if (v != null && !v.isNull()) {
        to.set(m, v.deepCopy());
      }
    }
  }
}
