package dev.kansoku.deploy.aws;

import java.nio.file.Path;
import software.amazon.awscdk.App;

/** The CDK app that cdk.json runs: reads the context, makes the stack, writes the cloud assembly. */
public final class DeployApp {
  private DeployApp() {}

  public static void main(String[] args) {
    App app = new App();
    DeploySettings settings = DeploySettings.from(app.getNode()::tryGetContext, System::getenv, Path.of(""));
    new DiceStack(app, stackName(settings), settings);
    app.synth();
  }

  static String stackName(DeploySettings settings) {
    String app = settings.appName();
    return "Kansoku" + Character.toUpperCase(app.charAt(0)) + app.substring(1).replace("-", "");
  }
}
