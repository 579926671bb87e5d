package dev.kansoku.aws.xrayreceiver;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Stability;

/** {@code awsproxy}: the X-Ray sampling proxy as an extension (default localhost:2000). */
public final class AwsProxyExtensionFactory implements ExtensionFactory<ProxyConfig> {
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

  /** The region and endpoint variables (AWS_REGION, AWS_ENDPOINT_URL_XRAY) come from the service's environment. */
  @Override
  public Extension create(ProxyConfig config, ComponentContext context) {
    return new AwsProxyExtension(context.id().toString(), config, context.env());
  }
}
