package dev.kansoku.aws.xrayreceiver;

import com.linecorp.armeria.common.TlsKeyPair;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kansoku.aws.sigv4.SigV4Verifier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * X-Ray's two sampling operations on loopback (HTTP, or HTTPS with a given key pair): checks each
 * call's SigV4 signature from the specification (key AKIDEXAMPLE) and answers as the service model
 * says, remembering what it saw.
 */
final class XrayStandIn implements AutoCloseable {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  /** What the stand-in saw: path, verified signer (or the refusal) and body. */
  record Seen(String path, String signer, String body) {}

  final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final HttpServer server;
  private final String scheme;

  private XrayStandIn(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, String> headers = new TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      String signer;
      try {
        signer = SigV4Verifier.verify("POST", ex.getRequestURI().getPath(), null, headers, body,
            id -> id.equals("AKIDEXAMPLE") ? SECRET : null).toString();
      } catch (SigV4Verifier.Rejected e) {
        signer = "rejected: " + e.getMessage();
      }
      seen.add(new Seen(ex.getRequestURI().getPath(), signer, new String(body, StandardCharsets.UTF_8)));
      String answer = ex.getRequestURI().getPath().equals("/GetSamplingRules")
          ? "{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"RuleName\":\"dice\",\"RuleARN\":"
              + "\"arn:aws:xray:us-west-2:123456789012:sampling-rule/dice\",\"ResourceARN\":\"*\",\"Priority\":1,"
              + "\"FixedRate\":0.5,\"ReservoirSize\":7,\"ServiceName\":\"dice-server\",\"ServiceType\":\"*\","
              + "\"Host\":\"*\",\"HTTPMethod\":\"GET\",\"URLPath\":\"/rolldice\",\"Version\":1,\"Attributes\":{}},"
              + "\"CreatedAt\":1.7e9,\"ModifiedAt\":1.7e9}]}"
          : "{\"SamplingTargetDocuments\":[{\"RuleName\":\"dice\",\"FixedRate\":0.25,\"ReservoirQuota\":3,"
              + "\"ReservoirQuotaTTL\":1.8e9,\"Interval\":10}],\"LastRuleModification\":1.7e9,"
              + "\"UnprocessedStatistics\":[]}";
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    server.start();
  }

  static XrayStandIn http() throws IOException {
    return new XrayStandIn(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
  }

  /** HTTPS with {@code key}'s certificate, issued for localhost. */
  static XrayStandIn https(TlsKeyPair key) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setKeyEntry("xray", key.privateKey(), new char[0], key.certificateChain().toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    return new XrayStandIn(server, "https");
  }

  /** The URL to forward to: loopback by name for HTTPS (the certificate is for localhost). */
  String url() {
    return scheme + "://" + (scheme.equals("https") ? "localhost" : "127.0.0.1") + ":" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
