package dev.kansoku.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code kansoku healthcheck [--url URL]}: asks the {@code health_check} extension and exits 0 when it
 * answers 200, 1 otherwise. For container health checks in images without a shell or curl (the
 * distroless image; ADOT's image ships a {@code /healthcheck} binary for the same job).
 */
final class HealthProbe {
  static final String DEFAULT_URL = "http://localhost:13133/";

  private HealthProbe() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    String url = DEFAULT_URL;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--url") && i + 1 < args.size()) {
        url = args.get(++i);
      } else {
        err.println("usage: kansoku healthcheck [--url " + DEFAULT_URL + "]");
        return 2;
      }
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      (r.statusCode() == 200 ? out : err).println(r.statusCode() + " " + r.body());
      return r.statusCode() == 200 ? 0 : 1;
    } catch (IOException | IllegalArgumentException e) {
      err.println(url + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
