package dev.kansoku.aws.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kansoku.aws.sigv4.SigV4Verifier;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DescribeTags against an EC2 stand-in that checks the SigV4 signature from the specification and
 * answers in EC2's query-protocol XML, two pages.
 */
class Ec2DescribeTagsTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private HttpServer ec2;
  private boolean deny;

  @BeforeEach
  void start() throws Exception {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", SECRET);
    ec2 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ec2.createContext("/", ex -> {
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
      String form = new String(body, StandardCharsets.UTF_8);
      seen.add(signer + " " + form);
      String xml;
      int status = 200;
      if (deny) {
        status = 403;
        xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code>"
            + "<Message>You are not authorized to perform this operation.</Message></Error></Errors>"
            + "<RequestID>2d5c7a36-0a3b-4f6e-9d1c-0e8f5a6b7c8d</RequestID></Response>";
      } else if (!form.contains("NextToken=")) {
        xml = page("<item><resourceId>i-0123456789abcdef0</resourceId><resourceType>instance</resourceType>"
            + "<key>Name</key><value>dice-host</value></item>", "<nextToken>page-2</nextToken>");
      } else {
        xml = page("<item><resourceId>i-0123456789abcdef0</resourceId><resourceType>instance</resourceType>"
            + "<key>team-owner</key><value>observability</value></item><item><resourceId>i-0123456789abcdef0"
            + "</resourceId><resourceType>instance</resourceType><key>empty</key><value/></item>", "");
      }
      byte[] out = xml.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
      ex.sendResponseHeaders(status, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    ec2.start();
  }

  private static String page(String items, String next) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeTagsResponse xmlns=\"http://ec2.amazonaws.com/doc/"
        + "2016-11-15/\"><requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId><tagSet>" + items + "</tagSet>"
        + next + "</DescribeTagsResponse>";
  }

  @AfterEach
  void stop() {
    ec2.stop(0);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void every_page_signed_for_ec2_in_the_region() throws Exception {
    Ec2DescribeTags describe = new Ec2DescribeTags(Map.of("AWS_ENDPOINT_URL_EC2",
        "http://127.0.0.1:" + ec2.getAddress().getPort())::get);
    Map<String, String> tags = describe.tags("us-west-2", "i-0123456789abcdef0", Duration.ofSeconds(5));
    assertThat(tags).containsExactly(Map.entry("Name", "dice-host"), Map.entry("team-owner", "observability"),
        Map.entry("empty", ""));
    String signer = new SigV4Verifier.Signer("AKIDEXAMPLE", "us-west-2", "ec2").toString();
    assertThat(seen).containsExactly(
        signer + " Action=DescribeTags&Version=2016-11-15&Filter.1.Name=resource-id&Filter.1.Value.1=i-0123456789abcdef0",
        signer + " Action=DescribeTags&Version=2016-11-15&Filter.1.Name=resource-id&Filter.1.Value.1=i-0123456789abcdef0"
            + "&NextToken=page-2");
  }

  @Test
  void an_ec2_error_is_thrown_with_its_code() {
    deny = true;
    Ec2DescribeTags describe = new Ec2DescribeTags(Map.of("AWS_ENDPOINT_URL",
        "http://127.0.0.1:" + ec2.getAddress().getPort() + "/")::get);
    assertThatThrownBy(() -> describe.tags("us-west-2", "i-0123456789abcdef0", Duration.ofSeconds(5)))
        .hasMessage("DescribeTags: 403 UnauthorizedOperation: You are not authorized to perform this operation.");
  }

  @Test
  void endpoint_is_ec2_in_the_region_unless_the_sdk_variables_say_otherwise() {
    assertThat(new Ec2DescribeTags(name -> null).endpoint("eu-west-1"))
        .isEqualTo(URI.create("https://ec2.eu-west-1.amazonaws.com/"));
  }
}
