package dev.kansoku.aws.xrayreceiver;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Stability;
import java.util.function.Function;

/** {@code awsproxy}: the X-Ray sampling proxy as an extension (default localhost:2000). */
public final class AwsProxyExtensionFactory implements ExtensionFactory<ProxyConfig> {
  private final Function<String, String> env;

  public AwsProxyExtensionFactory() {
    this(System::getenv);
  }

  /** @param env environment lookup for the region and endpoint variables (AWS_REGION, AWS_ENDPOINT_URL_XRAY) */
  AwsProxyExtensionFactory(Function<String, String> env) {
    this.env = env;
  }

  @Override
  public String type() {
    return "awsproxy";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public ProxyConfig createDefaultConfig() {
    return new ProxyConfig();
  }

  @Override
  public Extension create(ProxyConfig config, ComponentContext context) {
    return new AwsProxyExtension(context.id().toString(), config, env);
  }
}
