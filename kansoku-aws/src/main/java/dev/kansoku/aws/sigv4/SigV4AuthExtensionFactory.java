package dev.kansoku.aws.sigv4;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Stability;

/** {@code sigv4auth}: an authenticator extension that exporters name in {@code auth.authenticator}. */
public final class SigV4AuthExtensionFactory implements ExtensionFactory<SigV4AuthConfig> {
  @Override
  public String type() {
    return "sigv4auth";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public SigV4AuthConfig createDefaultConfig() {
    return new SigV4AuthConfig();
  }

  @Override
  public Extension create(SigV4AuthConfig config, ComponentContext context) {
    return new SigV4Auth(config, context.env());
  }
}
