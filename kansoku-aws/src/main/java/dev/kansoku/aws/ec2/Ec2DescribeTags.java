package dev.kansoku.aws.ec2;

import dev.kansoku.aws.AwsClients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;

/**
 * EC2 {@code DescribeTags} for one instance (filter {@code resource-id}), every page, on EC2's query
 * protocol, signed with SigV4 by the AWS SDK's signer and the default credential chain; for the
 * {@code resourcedetection} processor's {@code ec2::tags}. The endpoint is
 * {@code AWS_ENDPOINT_URL_EC2} or {@code AWS_ENDPOINT_URL} when set, else EC2 in the region.
 * Thread-safe; each call opens and closes its own HTTP client (it runs once per start).
 */
public final class Ec2DescribeTags {
  static final String API_VERSION = "2016-11-15";

  private final Function<String, String> env;

  public Ec2DescribeTags(Function<String, String> env) {
    this.env = env;
  }

  /** Every tag of {@code instanceId}, key to value, in EC2's order. */
  public Map<String, String> tags(String region, String instanceId, Duration timeout) throws IOException {
    URI endpoint = endpoint(region);
    AwsCredentialsProvider credentials = AwsClients.credentials("", "", Region.of(region));
    AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    Duration perCall = timeout.isNegative() || timeout.isZero() ? Duration.ofSeconds(1) : timeout;
    Map<String, String> tags = new LinkedHashMap<>();
    try (SdkHttpClient http = ApacheHttpClient.builder().socketTimeout(perCall).connectionTimeout(perCall).build()) {
      String next = "";
      do {
        byte[] body = form(instanceId, next).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
            .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SdkHttpRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
            .payload(ContentStreamProvider.fromByteArray(body))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed)
            .contentStreamProvider(ContentStreamProvider.fromByteArray(body)).build()).call();
        byte[] answer;
        try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
          answer = in.readAllBytes();
        }
        Document doc = parse(answer);
        if (response.httpResponse().statusCode() != 200) {
          throw new IOException("DescribeTags: " + response.httpResponse().statusCode() + " " + text(doc, "Code") + ": "
              + text(doc, "Message"));
        }
        NodeList items = doc.getElementsByTagNameNS("*", "item");
        for (int i = 0; i < items.getLength(); i++) {
          Element item = (Element) items.item(i);
          tags.put(text(item, "key"), text(item, "value"));
        }
        next = text(doc, "nextToken");
      } while (!next.isEmpty());
    }
    return tags;
  }

  URI endpoint(String region) {
    for (String var : new String[] {"AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL"}) {
      String v = env.apply(var);
      if (v != null && !v.isBlank()) {
        return URI.create(v.trim().endsWith("/") ? v.trim() : v.trim() + "/");
      }
    }
    return URI.create("https://ec2." + region + ".amazonaws.com/");
  }

  private static String form(String instanceId, String nextToken) {
    StringBuilder b = new StringBuilder("Action=DescribeTags&Version=").append(API_VERSION)
        .append("&Filter.1.Name=resource-id&Filter.1.Value.1=").append(encode(instanceId));
    if (!nextToken.isEmpty()) {
      b.append("&NextToken=").append(encode(nextToken));
    }
    return b.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Document parse(byte[] xml) throws IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("DescribeTags: the answer is not EC2's XML: " + e.getMessage(), e);
    }
  }

  /** The text of the first {@code name} element under {@code parent}, or "". */
  private static String text(Node parent, String name) {
    NodeList found = parent instanceof Document d ? d.getElementsByTagNameNS("*", name)
        : ((Element) parent).getElementsByTagNameNS("*", name);
    return found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
  }
}
