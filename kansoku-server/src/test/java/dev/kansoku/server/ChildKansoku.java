package dev.kansoku.server;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Kansoku's main in a child JVM (own heap, real signals), with its output in a file. */
final class ChildKansoku implements AutoCloseable {
  final Process process;
  final Path log;

  private ChildKansoku(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildKansoku start(Path dir, List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Files.createDirectories(dir);
    Path log = dir.resolve("kansoku.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new ChildKansoku(pb.start(), log);
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Waits for the "Started" line; fails with the output when the process dies or is slow. */
  void awaitStarted() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (output().contains("Started")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Kansoku did not start:\n" + output());
  }

  /** SIGTERM, as an orchestrator stops a container; returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Kansoku did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
