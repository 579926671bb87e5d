package dev.kansoku.bench;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.SplittableRandom;

/** The parts of {@link DiceTelemetry} that do not vary per request: resources, ids, attributes, the stack trace. */
final class DiceResources {
  private DiceResources() {}

  /** The resource the ADOT Java agent reports for instance {@code i}; ECS attributes when {@code ecs}. */
  static Resource resource(SplittableRandom random, int i, boolean ecs) {
    String ip = "10.0." + (i % 4) + "." + (10 + i);
    Resource.Builder r = Resource.newBuilder()
        .addAttributes(str("service.name", DiceTelemetry.SERVICE_NAME))
        .addAttributes(str("telemetry.sdk.language", "java"))
        .addAttributes(str("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(str("telemetry.sdk.version", DiceTelemetry.AGENT_VERSION))
        .addAttributes(str("telemetry.auto.version", DiceTelemetry.AGENT_VERSION + "-aws"))
        .addAttributes(str("host.name", "ip-" + ip.replace('.', '-') + ".us-west-2.compute.internal"))
        .addAttributes(str("host.arch", "amd64"))
        .addAttributes(str("os.type", "linux"))
        .addAttributes(str("os.description", "Linux 5.10.199-190.747.amzn2.x86_64"))
        .addAttributes(integer("process.pid", 1 + (ecs ? 0 : 1000 + random.nextInt(30_000))))
        .addAttributes(str("process.executable.path", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"))
        .addAttributes(str("process.command_line", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"
            + " -javaagent:/java-simple/aws-opentelemetry-agent.jar -Dlogging.config=/java-simple/logback.xml"
            + " -jar /java-simple/build/libs/java-simple.jar"))
        .addAttributes(str("process.runtime.name", "OpenJDK Runtime Environment"))
        .addAttributes(str("process.runtime.version", "17.0.9+9-Debian-1deb11u1"))
        .addAttributes(str("process.runtime.description", "Debian OpenJDK 64-Bit Server VM 17.0.9+9-Debian-1deb11u1"));
    if (ecs) {
      String account = "123456789012";
      String task = hex(randomId(random, 16));
      r.addAttributes(str("cloud.provider", "aws"))
          .addAttributes(str("cloud.platform", "aws_ecs"))
          .addAttributes(str("cloud.region", "us-west-2"))
          .addAttributes(str("cloud.account.id", account))
          .addAttributes(str("cloud.availability_zone", "us-west-2" + (char) ('a' + i % 3)))
          .addAttributes(str("container.id", task + "-" + (1000000000L + random.nextInt(1_000_000_000))))
          .addAttributes(str("container.name", "dice-server"))
          .addAttributes(str("aws.ecs.launchtype", "fargate"))
          .addAttributes(str("aws.ecs.cluster.arn", "arn:aws:ecs:us-west-2:" + account + ":cluster/dice-cluster"))
          .addAttributes(str("aws.ecs.task.arn", "arn:aws:ecs:us-west-2:" + account + ":task/dice-cluster/" + task))
          .addAttributes(str("aws.ecs.task.family", "dice-server"))
          .addAttributes(str("aws.ecs.task.revision", "7"))
          .addAttributes(str("aws.ecs.container.arn", "arn:aws:ecs:us-west-2:" + account + ":container/dice-cluster/"
              + task + "/" + hex(randomId(random, 16))))
          .addAttributes(str("aws.log.group.names", "/ecs/your_apps"))
          .addAttributes(str("aws.log.group.arns", "arn:aws:logs:us-west-2:" + account + ":log-group:/ecs/your_apps"))
          .addAttributes(str("aws.log.stream.names", "ecs/dice-server/" + task));
    }
    return r.build();
  }

  /** {@code n} random bytes, never all zero (an all-zero id is invalid in OTLP). */
  static byte[] randomId(SplittableRandom random, int n) {
    byte[] id = new byte[n];
    do {
      for (int i = 0; i < n; i += 8) {
        long v = random.nextLong();
        for (int j = 0; j < 8 && i + j < n; j++) {
          id[i + j] = (byte) (v >>> (8 * j));
        }
      }
    } while (allZero(id));
    return id;
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  static InstrumentationScope scope(String name, String version) {
    return InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
  }

  static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  static KeyValue bool(String key, boolean value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
  }

  /** A Spring MVC stack trace of the depth a real one has (about 50 frames). */
  static String stackTrace() {
    String[] frames = {
        "otel.RollController.rollDice(RollController.java:24)",
        "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
        "java.base/java.lang.reflect.Method.invoke(Method.java:568)",
        "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
        "org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:150)",
        "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
        "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:884)",
        "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal(RequestMappingHandlerAdapter.java:797)",
        "org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter.handle(AbstractHandlerMethodAdapter.java:87)",
        "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1081)",
        "org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:974)",
        "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1011)",
        "org.springframework.web.servlet.FrameworkServlet.doGet(FrameworkServlet.java:903)",
        "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:564)",
        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
        "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
        "org.apache.tomcat.websocket.server.WsFilter.doFilter(WsFilter.java:51)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:174)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
        "org.springframework.web.filter.RequestContextFilter.doFilterInternal(RequestContextFilter.java:100)",
        "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:174)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
        "org.springframework.web.filter.FormContentFilter.doFilterInternal(FormContentFilter.java:93)",
        "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:174)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
        "org.springframework.web.filter.CharacterEncodingFilter.doFilterInternal(CharacterEncodingFilter.java:201)",
        "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:174)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
        "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
        "org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90)",
        "org.apache.catalina.authenticator.AuthenticatorBase.invoke(AuthenticatorBase.java:482)",
        "org.apache.catalina.core.StandardHostValve.invoke(StandardHostValve.java:115)",
        "org.apache.catalina.valves.ErrorReportValve.invoke(ErrorReportValve.java:93)",
        "org.apache.catalina.core.StandardEngineValve.invoke(StandardEngineValve.java:74)",
        "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:340)",
        "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
        "org.apache.coyote.AbstractProcessorLight.process(AbstractProcessorLight.java:63)",
        "org.apache.coyote.AbstractProtocol$ConnectionHandler.process(AbstractProtocol.java:896)",
        "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1744)",
        "org.apache.tomcat.util.net.SocketProcessorBase.run(SocketProcessorBase.java:52)",
        "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1191)",
        "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
        "org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)",
        "java.base/java.lang.Thread.run(Thread.java:833)",
    };
    StringBuilder sb = new StringBuilder("java.lang.IllegalStateException: the dice fell off the table\n");
    for (String f : frames) {
      sb.append("\tat ").append(f).append('\n');
    }
    return sb.toString();
  }
}
