package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.Authenticator;
import dev.kansoku.pipeline.ClientAuthenticator;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Stability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.Function;

public final class BearerTokenAuthExtensionFactory implements ExtensionFactory<BearerTokenAuthConfig> {
  @Override
  public String type() {
    return "bearertokenauth";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public BearerTokenAuthConfig createDefaultConfig() {
    return new BearerTokenAuthConfig();
  }

  @Override
  public Extension create(BearerTokenAuthConfig config, ComponentContext context) {
    return new BearerTokenAuth(config);
  }

  /** Checks and supplies {@code Authorization: <scheme> <token>}; compares in constant time. */
  static final class BearerTokenAuth implements Extension, Authenticator, ClientAuthenticator {
    private final BearerTokenAuthConfig config;
    private volatile byte[] expected;

    BearerTokenAuth(BearerTokenAuthConfig config) {
      this.config = config;
    }

    @Override
    public void start(Host host) throws Exception {
      String token = config.token.isEmpty()
          ? Files.readString(Path.of(config.filename), StandardCharsets.UTF_8).strip() : config.token;
      if (token.isEmpty()) {
        throw new IllegalArgumentException("the token file " + config.filename + " is empty");
      }
      expected = (config.scheme + " " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String authenticate(Function<String, String> header) {
      byte[] want = expected;
      if (want == null) {
        return "authenticator is not started";
      }
      String got = header.apply("authorization");
      if (got == null) {
        return "missing Authorization header (expected: " + config.scheme + " <token>)";
      }
      return MessageDigest.isEqual(want, got.getBytes(StandardCharsets.UTF_8)) ? null : "invalid credentials";
    }

    @Override
    public Map<String, String> headers(ClientRequest request) {
      byte[] want = expected;
      return want == null ? Map.of() : Map.of("Authorization", new String(want, StandardCharsets.UTF_8));
    }
  }
}
