package dev.kansoku.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine on the build machines, so the image is never built here; this checks
 * what the Dockerfile relies on: the jar path the server's build produces, a pinned distroless base,
 * the ports, the entry point.
 */
class KansokuDockerfileTest {
  static final Path ROOT = Path.of("../..");
  static final Path DOCKERFILE = ROOT.resolve("deploy/docker/kansoku/Dockerfile");

  @Test
  void copiesTheJarTheServerBuildMakes() throws Exception {
    String serverPom = Files.readString(ROOT.resolve("kansoku-server/pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(serverPom);
    assertThat(finalName.find()).as("kansoku-server's shade finalName").isTrue();
    String jar = "kansoku-server/target/" + finalName.group(1) + ".jar";
    assertThat(lines()).contains("COPY --from=builder /build/" + jar + " /opt/kansoku/kansoku.jar");
    assertThat(lines()).anyMatch(l -> l.startsWith("RUN ") && l.contains("mvn ") && l.contains("-pl kansoku-server -am package"));
    assertThat(Files.readString(ROOT.resolve("kansoku"))).contains("jar=\"$here/" + jar + "\"");
  }

  @Test
  void baseImages_distrolessJava17_pinnedTags() {
    List<String> froms = lines().stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(froms).containsExactly(
        "FROM public.ecr.aws/docker/library/maven:3.9-eclipse-temurin-17 AS builder",
        "FROM gcr.io/distroless/java17-debian12:nonroot");
    assertThat(froms).noneMatch(l -> l.contains(":latest"));
  }

  @Test
  void entryPointRunsTheJar_portsExposed() {
    assertThat(lines()).contains(
        "ENTRYPOINT [\"/usr/bin/java\", \"-XX:MaxRAMPercentage=50\", \"-jar\", \"/opt/kansoku/kansoku.jar\"]",
        "EXPOSE 4317 4318 2000/udp 4600");
    assertThat(lines()).noneMatch(l -> l.startsWith("CMD "));
  }

  @Test
  void healthCheckAsksTheHealthCheckExtensionThroughTheJar() {
    assertThat(lines()).anyMatch(l -> l.startsWith("HEALTHCHECK "));
    assertThat(lines()).contains("  CMD [\"/usr/bin/java\", \"-jar\", \"/opt/kansoku/kansoku.jar\", \"healthcheck\"]");
  }

  @Test
  void buildContextLeavesOutBuildOutputs() throws Exception {
    assertThat(Files.readAllLines(ROOT.resolve("deploy/docker/kansoku/Dockerfile.dockerignore")))
        .contains(".git", "**/target", "**/node_modules");
  }

  @Test
  void theDiceDockerfileThatTheDiceRepositoryIsFor_exists() {
    assertThat(ROOT.resolve("examples/dice/Dockerfile")).exists();
  }

  /** After `mvn package` (CI's `mvn verify` builds the server before this module): the jar starts Main. */
  @Test
  void builtJar_runsMain_whichReadsAotConfigContent() throws Exception {
    Path jar = ROOT.resolve("kansoku-server/target/kansoku.jar");
    assumeTrue(Files.exists(jar), "kansoku-server/target/kansoku.jar not built in this run (mvn package builds it)");
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.kansoku.server.Main");
      assertThat(file.getEntry("dev/kansoku/server/ConfigSelection.class")).isNotNull();
    }
  }

  private static List<String> lines() {
    try {
      return Files.readAllLines(DOCKERFILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
