package dev.kansoku.contrib.resourcedetection;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.Nullable;

/** The detectors Kansoku offers, by the name the configuration lists them under. */
final class Detectors {
  static final List<String> OFFERED = List.of("env", "system", "docker", "ecs", "ec2");
  static final Set<String> NAMES = Set.copyOf(OFFERED);
  /** Upstream's other detectors: named so that a configuration using one learns why it is refused. */
  private static final Set<String> UPSTREAM_ONLY = Set.of("akamai", "alibaba_ecs", "aks", "azure",
      "azurecontainerapps", "consul", "digitalocean", "dynatrace", "eks", "elasticbeanstalk", "gcp", "heroku",
      "hetzner", "ibmcloud_classic", "ibmcloud_vpc", "k8s_api", "k8snode", "kubeadm", "lambda", "nova", "openshift",
      "oraclecloud", "scaleway", "tencent_cvm", "upcloud", "vultr");

  /** What the detectors may read: the environment, the machine, and the build's DescribeTags, if any. */
  record Environment(Function<String, String> env, HostInfo host, @Nullable Ec2TagSource describeTags) {}

  private Detectors() {}

  static String unknown(String name) {
    String offered = " (offered: " + String.join(", ", OFFERED) + ")";
    return UPSTREAM_ONLY.contains(name) ? "detector \"" + name + "\" is not offered by Kansoku" + offered
        : "invalid detector key: \"" + name + "\"" + offered;
  }

  static Detector create(String name, ResourceDetectionConfig c, Environment e) {
    switch (name) {
      case "env":
        return new EnvDetector(e.env());
      case "system":
        return new SystemDetector(e.host(), c.system);
      case "docker":
        return new DockerDetector(e.env(), e.host(), c.docker, c.failOnMissingMetadata);
      case "ecs":
        return new EcsDetector(e.env(), c.ecs);
      case "ec2":
        return new Ec2Detector(e.env(), c.ec2, c.failOnMissingMetadata, e.describeTags());
      default:
        throw new IllegalArgumentException(unknown(name));
    }
  }
}
