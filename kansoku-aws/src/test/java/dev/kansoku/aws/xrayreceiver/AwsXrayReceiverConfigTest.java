package dev.kansoku.aws.xrayreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Binding {@code receivers::awsxray} from YAML. */
class AwsXrayReceiverConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static AwsXrayReceiverConfig bind(String yaml) throws Exception {
    return ConfigBinder.bind(YAML.readTree(yaml), new AwsXrayReceiverFactory().createDefaultConfig(),
        "receivers::awsxray");
  }

  @Test
  void defaults_loopbackPort2000Udp() throws Exception {
    AwsXrayReceiverConfig c = bind("{}");

    assertThat(c.endpoint).isEqualTo("localhost:2000");
    assertThat(c.transport).isEqualTo("udp");
    assertThat(c.bindAddress()).isEqualTo(InetSocketAddress.createUnresolved("localhost", 2000));
  }

  @Test
  void allKeys() throws Exception {
    AwsXrayReceiverConfig c = bind("""
        endpoint: 0.0.0.0:2000
        transport: udp
        """);

    assertThat(c.bindAddress().getHostString()).isEqualTo("0.0.0.0");
    assertThat(c.bindAddress().getPort()).isEqualTo(2000);
  }

  @Test
  void emptyHost_everyInterface() throws Exception {
    assertThat(bind("endpoint: \":2000\"").bindAddress().getAddress().isAnyLocalAddress()).isTrue();
    assertThat(bind("endpoint: \"[::1]:2000\"").bindAddress().getHostString()).isEqualTo("::1");
  }

  @Test
  void unknownKey_suggestsNearest() {
    assertThatThrownBy(() -> bind("endpont: localhost:2000"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("receivers::awsxray: unknown key \"endpont\", did you mean \"endpoint\"?");
  }

  @Test
  void proxyServer_offUnlessPresent_emptyMeansDefaults() throws Exception {
    assertThat(bind("{}").proxyServer).isNull();
    AwsXrayReceiverConfig c = bind("proxy_server:");
    assertThat(c.proxyServer.endpoint).isEqualTo("localhost:2000");
    assertThat(c.proxyServer.serviceName).isEqualTo("xray");
    assertThat(c.proxyBindAddress()).isEqualTo(InetSocketAddress.createUnresolved("localhost", 2000));
  }

  @Test
  void proxyServer_collectorKeys() throws Exception {
    AwsXrayReceiverConfig c = bind("""
        proxy_server:
          endpoint: 0.0.0.0:2000
          aws_endpoint: https://xray.us-west-2.amazonaws.com
          region: us-west-2
          role_arn: arn:aws:iam::123456789012:role/xray
          proxy_address: http://proxy:3128
          local_mode: true
        """);
    assertThat(c.proxyServer.awsEndpoint).isEqualTo("https://xray.us-west-2.amazonaws.com");
    assertThat(c.proxyServer.roleArn).isEqualTo("arn:aws:iam::123456789012:role/xray");
    assertThatThrownBy(() -> bind("proxy_server: {aws_endpoint: xray.local}"))
        .hasMessageStartingWith("receivers::awsxray: proxy_server::aws_endpoint: \"xray.local\" (expected: http(s)://");
    assertThatThrownBy(() -> bind("proxy_server: {endpoint: localhost}"))
        .hasMessage("receivers::awsxray: proxy_server::endpoint: \"localhost\" (expected: host:port)");
    assertThat(bind("proxy_server: {tls: {insecure_skip_verify: true}}").proxyServer.tls.insecureSkipVerify).isTrue();
    assertThatThrownBy(() -> bind("proxy_server: {tls: {cert_file: c.pem, key_file: k.pem}}"))
        .hasMessageStartingWith("receivers::awsxray: proxy_server::tls::cert_file, key_file: not offered");
    assertThatThrownBy(() -> bind("proxy_server: {tsl: {}}"))
        .hasMessageStartingWith("receivers::awsxray::proxy_server: unknown key \"tsl\"");
  }

  @Test
  void transport_onlyUdp() {
    assertThatThrownBy(() -> bind("transport: tcp"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("receivers::awsxray: transport: \"tcp\" (expected: udp; X-Ray SDKs send segments over UDP only)");
  }

  @Test
  void endpoint_malformed() {
    assertThatThrownBy(() -> bind("endpoint: localhost"))
        .hasMessage("receivers::awsxray: endpoint: \"localhost\" (expected: host:port)");
    assertThatThrownBy(() -> bind("endpoint: localhost:udp"))
        .hasMessage("receivers::awsxray: endpoint: \"localhost:udp\": port is not a number (expected: host:port)");
    assertThatThrownBy(() -> bind("endpoint: localhost:70000"))
        .hasMessage("receivers::awsxray: endpoint: \"localhost:70000\": port 70000 (expected: 0 to 65535)");
  }
}
