package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.roster.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Checks what {@code deploy/} promises without a cluster: every manifest parses, every setting a
 * service requires is set in compose and Kubernetes, Kafka topics keep per-employee order with
 * durability, pods are hardened, and the provisioner's IAM policy matches the role mapping and its
 * own code.
 */
class DeployManifestsTest {
  static final List<String> SERVICES = List.of("hr-listener", "provisioner", "auditor");

  /**
   * Settings the issues make mandatory outside dev/test, whatever the services' properties say
   * (they have no safe default: a secret, the mapping, the database).
   */
  static final Map<String, Set<String>> CONTRACT_KEYS =
      Map.of(
          "hr-listener", Set.of("ROSTER_WEBHOOK_SECRETS"),
          "provisioner", Set.of("ROSTER_ROLES_FILE"),
          "auditor",
              Set.of(
                  "ROSTER_AUDITOR_PASSWORD",
                  "ROSTER_AUDITOR_DB_URL",
                  "ROSTER_AUDITOR_DB_USER",
                  "ROSTER_AUDITOR_DB_PASSWORD"));

  static final Path ROOT = RepoRoot.find();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final YAMLMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = JsonMapper.builder().build();

  @Test
  void everyManifestParses() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(DEPLOY)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
              .toList();
    }
    assertThat(files).hasSizeGreaterThan(10);
    for (Path f : files) {
      List<JsonNode> docs = read(f);
      assertThat(docs).as("%s has content", f).isNotEmpty();
    }
  }

  @Test
  void composeSetsEveryRequiredKey() {
    JsonNode services = single(DEPLOY.resolve("compose/compose.yaml")).path("services");
    for (String svc : SERVICES) {
      JsonNode env = services.path(svc).path("environment");
      assertThat(services.path(svc).path("build").path("dockerfile").asText())
          .isEqualTo("src/main/docker/Dockerfile.jvm");
      Set<String> set = new TreeSet<>();
      env.fieldNames().forEachRemaining(set::add);
      assertThat(set).as("compose environment of %s", svc).containsAll(requiredKeys(svc));
    }
    assertThat(services.has("kafka") && services.has("postgres") && services.has("localstack"))
        .isTrue();
    assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
  }

  @Test
  void kubernetesDeploymentsSetEveryRequiredKeyAndAreHardened() {
    Map<String, Set<String>> secretKeys = generatedSecrets();
    for (String svc : SERVICES) {
      JsonNode deployment = kind(read(DEPLOY.resolve("k8s/base/" + svc + ".yaml")), "Deployment");
      JsonNode pod = deployment.path("spec").path("template").path("spec");
      JsonNode container = pod.path("containers").get(0);
      Set<String> env = new TreeSet<>();
      for (JsonNode e : container.path("env")) {
        env.add(e.path("name").asText());
        JsonNode ref = e.path("valueFrom").path("secretKeyRef");
        if (!ref.isMissingNode()) {
          assertThat(secretKeys.getOrDefault(ref.path("name").asText(), Set.of()))
              .as("dev overlay generates secret %s with key %s", ref.path("name"), ref.path("key"))
              .contains(ref.path("key").asText());
        }
      }
      assertThat(env).as("k8s env of %s", svc).containsAll(requiredKeys(svc));
      assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/q/health/ready");
      assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/q/health/live");
      assertThat(container.path("resources").path("limits").path("memory").isMissingNode())
          .isFalse();
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
      JsonNode sc = container.path("securityContext");
      assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
      assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
      assertThat(ROOT.resolve(svc).resolve("src/main/docker/Dockerfile.jvm")).exists();
    }
    JsonNode kustomization = single(DEPLOY.resolve("k8s/base/kustomization.yaml"));
    for (JsonNode r : kustomization.path("resources")) {
      assertThat(DEPLOY.resolve("k8s/base").resolve(r.asText())).exists();
    }
  }

  @Test
  void kafkaTopicsKeepPerEmployeeOrderAndSurviveABrokerLoss() {
    Map<String, JsonNode> topics = new TreeMap<>();
    for (JsonNode doc : read(DEPLOY.resolve("k8s/base/topics.yaml"))) {
      assertThat(doc.path("kind").asText()).isEqualTo("KafkaTopic");
      topics.put(doc.path("spec").path("topicName").asText(), doc.path("spec"));
    }
    assertThat(topics)
        .containsOnlyKeys(
            Topics.HR_EVENTS,
            Topics.IAM_CHANGES,
            Topics.HR_EVENTS_DLQ,
            Topics.AUDIT_DLQ,
            Topics.PROVISIONER_JOURNAL,
            Topics.PROVISIONER_SCHEDULED,
            Topics.AUDIT_ANCHORS,
            Topics.HR_SNAPSHOTS,
            Topics.RECONCILIATIONS);
    for (String compacted :
        java.util.List.of(
            Topics.PROVISIONER_JOURNAL, Topics.PROVISIONER_SCHEDULED, Topics.AUDIT_ANCHORS)) {
      assertThat(topics.get(compacted).path("config").path("cleanup.policy").asText())
          .as(compacted)
          .isEqualTo("compact");
    }
    // Held events are co-partitioned with the events that hold them.
    assertThat(topics.get(Topics.PROVISIONER_SCHEDULED).path("partitions").asInt())
        .isEqualTo(topics.get(Topics.HR_EVENTS).path("partitions").asInt());
    topics.forEach(
        (name, spec) -> {
          assertThat(spec.path("replicas").asInt()).as(name).isEqualTo(3);
          assertThat(spec.path("config").path("min.insync.replicas").asInt()).as(name).isEqualTo(2);
        });
    assertThat(topics.get(Topics.HR_EVENTS).path("partitions").asInt()).isGreaterThanOrEqualTo(12);
    assertThat(topics.get(Topics.IAM_CHANGES).path("partitions").asInt())
        .isGreaterThanOrEqualTo(12);
    // A held reconciliation can be approved for 7 days while its snapshot is kept.
    assertThat(topics.get(Topics.HR_SNAPSHOTS).path("config").path("retention.ms").asLong())
        .isEqualTo(java.time.Duration.ofDays(7).toMillis());
    assertThat(topics.get(Topics.HR_SNAPSHOTS).path("partitions").asInt())
        .isEqualTo(topics.get(Topics.HR_EVENTS).path("partitions").asInt());
    JsonNode kafka = kind(read(DEPLOY.resolve("k8s/base/kafka.yaml")), "Kafka");
    assertThat(kafka.path("spec").path("kafka").path("config").path("min.insync.replicas").asInt())
        .isEqualTo(2);
  }

  @Test
  void kubernetesRoleMappingIsTheSample() throws IOException {
    assertThat(Files.readString(DEPLOY.resolve("k8s/base/roles.yaml")))
        .isEqualTo(Files.readString(DEPLOY.resolve("roles.yaml")));
  }

  @Test
  void reviewPolicyReadsThePoliciesOfExactlyTheMappedGroups() {
    Set<String> read = new TreeSet<>();
    for (JsonNode st :
        single(DEPLOY.resolve("aws/provisioner-review-policy.json")).path("Statement")) {
      assertThat(st.path("Effect").asText()).isEqualTo("Allow");
      List<String> actions = strings(st.path("Action"));
      assertThat(actions).allMatch(a -> a.matches("iam:(Get|List|Simulate)\\w+"));
      if (actions.contains("iam:GetGroupPolicy")) {
        read.addAll(strings(st.path("Resource")));
      }
    }
    assertThat(read).isEqualTo(mappedGroupArns());
  }

  /** The ARN of every group the sample mapping grants (birthright and roles). */
  private static Set<String> mappedGroupArns() {
    JsonNode mapping = single(DEPLOY.resolve("roles.yaml"));
    Map<String, String> accountIds = new TreeMap<>();
    mapping.path("accounts").fields().forEachRemaining(e -> accountIds.put(e.getKey(), id(e)));
    Set<String> mapped = new TreeSet<>();
    addGroups(mapping.path("birthright"), accountIds, mapped);
    mapping.path("roles").forEach(role -> addGroups(role, accountIds, mapped));
    return mapped;
  }

  @Test
  void provisionerPolicyGrantsExactlyTheMappedGroupsAndNeverCreatesPrivilege() {
    JsonNode mapping = single(DEPLOY.resolve("roles.yaml"));
    Map<String, String> accountIds = new TreeMap<>();
    mapping.path("accounts").fields().forEachRemaining(e -> accountIds.put(e.getKey(), id(e)));
    Set<String> mapped = new TreeSet<>();
    addGroups(mapping.path("birthright"), accountIds, mapped);
    mapping.path("roles").forEach(role -> addGroups(role, accountIds, mapped));
    Set<String> ignored = new TreeSet<>();
    addGroups(mapping.path("ignoredGroups"), accountIds, ignored);

    JsonNode policy = single(DEPLOY.resolve("aws/provisioner-policy.json"));
    Set<String> membershipGroups = new TreeSet<>();
    Set<String> allowed = new TreeSet<>();
    Set<String> denied = new TreeSet<>();
    Set<String> deniedGroups = new TreeSet<>();
    for (JsonNode st : policy.path("Statement")) {
      List<String> actions = strings(st.path("Action"));
      List<String> resources = strings(st.path("Resource"));
      if (st.path("Effect").asText().equals("Allow")) {
        allowed.addAll(actions);
        // ListUsers has no resource-level permission in IAM: on anything but "*" it never matches.
        if (!actions.equals(List.of("iam:ListUsers"))) {
          assertThat(resources)
              .as("%s must name its resources", st.path("Sid"))
              .doesNotContain("*");
        }
        if (actions.contains("iam:AddUserToGroup")) {
          membershipGroups.addAll(resources);
        }
        // Only reading a user by name reaches beyond /roster/ (to see a same-name stranger).
        String users =
            actions.equals(List.of("iam:GetUser"))
                ? "arn:aws:iam::\\d{12}:user/(roster/)?\\*"
                : "arn:aws:iam::\\d{12}:user/roster/\\*";
        resources.stream()
            .filter(r -> r.contains(":user/"))
            .forEach(r -> assertThat(r).matches(users));
        if (actions.contains("iam:RemoveUserFromGroup")) {
          // Removing leftovers of an old job takes privilege away: any group, ignored ones denied.
          resources.forEach(r -> assertThat(r).matches("arn:aws:iam::\\d{12}:group/\\*"));
        }
      } else if (resources.equals(List.of("*"))) {
        denied.addAll(actions);
      } else {
        if (actions.contains("iam:AddUserToGroup")) {
          deniedGroups.addAll(resources);
        }
      }
    }
    assertThat(membershipGroups).isEqualTo(mapped);
    assertThat(deniedGroups).containsAll(ignored);
    assertThat(denied)
        .contains(
            "iam:CreateGroup",
            "iam:PutGroupPolicy",
            "iam:AttachGroupPolicy",
            "iam:AttachUserPolicy",
            "iam:CreateAccessKey",
            "iam:CreateLoginProfile",
            "iam:CreatePolicy",
            "iam:PassRole");
    assertThat(allowed).doesNotContainAnyElementsOf(denied);
  }

  /** Every IAM operation the provisioner's code calls is allowed by the policy, and no more. */
  @Test
  void provisionerPolicyAllowsEveryActionTheProvisionerCalls() throws IOException {
    Path src = ROOT.resolve("provisioner/src/main/java");
    assumeTrue(Files.isDirectory(src), "provisioner sources not present");
    StringBuilder code = new StringBuilder();
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
        code.append(Files.readString(p)).append('\n');
      }
    }
    Set<String> called = new TreeSet<>();
    for (Method m : IamClient.class.getMethods()) {
      String type = m.getReturnType().getSimpleName();
      if (!type.endsWith("Response") && !type.endsWith("Iterable")) {
        continue;
      }
      String name = m.getName().replace("Paginator", "");
      if (Pattern.compile("\\." + m.getName() + "\\(").matcher(code).find()) {
        called.add("iam:" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
      }
    }
    assumeTrue(!called.isEmpty(), "the provisioner calls no IamClient operation yet");
    // The role carries both: the main policy is at IAM's size limit, the review reads are apart.
    Set<String> allowed = new TreeSet<>();
    for (String file :
        List.of("aws/provisioner-policy.json", "aws/provisioner-review-policy.json")) {
      for (JsonNode st : single(DEPLOY.resolve(file)).path("Statement")) {
        if (st.path("Effect").asText().equals("Allow")) {
          allowed.addAll(strings(st.path("Action")));
        }
      }
    }
    assertThat(allowed).as("policy allows what the code calls").containsAll(called);
    // CreateUser with tags is authorised as iam:TagUser too; GetGroup checks a mapped group exists.
    Set<String> needed = new TreeSet<>(called);
    if (called.contains("iam:CreateUser")) {
      needed.add("iam:TagUser");
    }
    needed.add("iam:GetGroup");
    assertThat(needed).as("policy allows nothing the code never calls").containsAll(allowed);
  }

  /** Keys a service cannot start without: the contract's plus {@code ${VAR}} without default. */
  static Set<String> requiredKeys(String service) {
    Set<String> keys = new TreeSet<>(CONTRACT_KEYS.get(service));
    Path props = ROOT.resolve(service).resolve("src/main/resources/application.properties");
    if (Files.exists(props)) {
      Pattern placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
      try {
        for (String line : Files.readAllLines(props)) {
          String trimmed = line.strip();
          // Profile lines other than prod (dev, test, the opt-in oidc) are not what deploy/ runs.
          if (trimmed.startsWith("#")
              || (trimmed.startsWith("%") && !trimmed.startsWith("%prod."))) {
            continue;
          }
          Matcher m = placeholder.matcher(trimmed);
          while (m.find()) {
            keys.add(m.group(1));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return keys;
  }

  private static Map<String, Set<String>> generatedSecrets() {
    Map<String, Set<String>> secrets = new TreeMap<>();
    for (JsonNode gen :
        single(DEPLOY.resolve("k8s/overlays/dev/kustomization.yaml")).path("secretGenerator")) {
      Set<String> keys = new TreeSet<>();
      for (JsonNode literal : gen.path("literals")) {
        keys.add(literal.asText().substring(0, literal.asText().indexOf('=')));
      }
      secrets.put(gen.path("name").asText(), keys);
    }
    // The Strimzi user operator creates a Secret per KafkaUser, named after it.
    for (JsonNode user : read(DEPLOY.resolve("k8s/base/kafka-users.yaml"))) {
      if (user.path("kind").asText().equals("KafkaUser")) {
        secrets.put(
            user.path("metadata").path("name").asText(), Set.of("password", "sasl.jaas.config"));
      }
    }
    return secrets;
  }

  private static String id(Map.Entry<String, JsonNode> account) {
    return account.getValue().path("id").asText();
  }

  private static void addGroups(JsonNode byAccount, Map<String, String> ids, Set<String> out) {
    byAccount
        .fields()
        .forEachRemaining(
            e -> {
              assertThat(ids).as("account %s is declared", e.getKey()).containsKey(e.getKey());
              e.getValue()
                  .forEach(
                      g -> out.add("arn:aws:iam::" + ids.get(e.getKey()) + ":group/" + g.asText()));
            });
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode()) {
      out.add(node.asText());
    }
    return out;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  static JsonNode single(Path file) {
    List<JsonNode> docs = read(file);
    assertThat(docs).as("%s is one document", file).hasSize(1);
    return docs.get(0);
  }

  static List<JsonNode> read(Path file) {
    try {
      if (file.toString().endsWith(".json")) {
        return List.of(JSON.readTree(file.toFile()));
      }
      List<JsonNode> docs = new ArrayList<>();
      try (var parser = new YAMLFactory().createParser(file.toFile())) {
        Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
        while (it.hasNext()) {
          JsonNode n = it.next();
          if (n != null && !n.isNull() && !n.isMissingNode()) {
            docs.add(n);
          }
        }
      }
      return docs;
    } catch (IOException e) {
      throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
    }
  }
}
