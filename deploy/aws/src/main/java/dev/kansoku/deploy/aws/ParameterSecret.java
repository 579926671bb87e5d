package dev.kansoku.deploy.aws;

import java.util.List;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;

/**
 * An ECS {@code secrets} entry read from a SecureString parameter. {@code Secret.fromSsmParameter}
 * would grant four SSM read actions; the seed grants the execution role {@code ssm:GetParameters}
 * and {@code kms:Decrypt} on exactly the parameter and its key, and so does this.
 */
final class ParameterSecret extends Secret {
  private final String parameterArn;
  private final String keyArn;

  ParameterSecret(String parameterArn, String keyArn) {
    this.parameterArn = parameterArn;
    this.keyArn = keyArn;
  }

  @Override
  public String getArn() {
    return parameterArn;
  }

  @Override
  public Boolean getHasField() {
    return false;
  }

  @Override
  public Grant grantRead(IGrantable grantee) {
    return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
        .grantee(grantee)
        .actions(List.of("ssm:GetParameters", "kms:Decrypt"))
        .resourceArns(List.of(parameterArn, keyArn))
        .build());
  }
}
