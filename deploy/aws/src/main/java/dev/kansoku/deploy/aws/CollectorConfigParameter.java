package dev.kansoku.deploy.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.Logging;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyDocumentProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The collector YAML as an SSM SecureString encrypted with a customer-managed KMS key, as the seed
 * sets it up by hand. CloudFormation's AWS::SSM::Parameter cannot create a SecureString, so a custom
 * resource calls PutParameter (on create and update) and DeleteParameter (on delete); its Lambda
 * may touch only this parameter and this key, and does not log the call's data.
 */
final class CollectorConfigParameter extends Construct {
  static final List<String> KEY_ADMIN_ACTIONS = List.of(
      "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
      "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
      "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion");
  static final List<String> KEY_USE_ACTIONS = List.of(
      "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey");
  static final List<String> KEY_GRANT_ACTIONS = List.of("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant");

  final Key key;
  final String parameterArn;
  final AwsCustomResource resource;

  CollectorConfigParameter(Construct scope, String id, DeploySettings settings, IRole executionRole) {
    super(scope, id);
    key = Key.Builder.create(this, "Key")
        .description("Encrypts the " + settings.appName() + " collector configuration in SSM")
        .enableKeyRotation(true)
        .pendingWindow(Duration.days(7))
        .removalPolicy(RemovalPolicy.DESTROY)
        .policy(new PolicyDocument(PolicyDocumentProps.builder()
            .statements(keyPolicy(settings, executionRole))
            .build()))
        .build();
    parameterArn = Stack.of(this).formatArn(ArnComponents.builder()
        .service("ssm")
        .resource("parameter")
        .resourceName(settings.parameterPath().substring(1))
        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
        .build());
    AwsSdkCall put = AwsSdkCall.builder()
        .service("SSM")
        .action("PutParameter")
        .parameters(putParameter(settings))
        .physicalResourceId(PhysicalResourceId.of(settings.parameterName()))
        // The YAML stays out of the Lambda's CloudWatch logs.
        .logging(Logging.withDataHidden())
        .build();
    resource = AwsCustomResource.Builder.create(this, "SecureString")
        .resourceType("Custom::SecureStringParameter")
        .onCreate(put)
        .onUpdate(put)
        .onDelete(AwsSdkCall.builder()
            .service("SSM")
            .action("DeleteParameter")
            .parameters(Map.of("Name", settings.parameterName()))
            .logging(Logging.withDataHidden())
            .build())
        .policy(AwsCustomResourcePolicy.fromStatements(List.of(
            PolicyStatement.Builder.create()
                .actions(List.of("ssm:PutParameter", "ssm:DeleteParameter"))
                .resources(List.of(parameterArn))
                .build(),
            PolicyStatement.Builder.create()
                .actions(List.of("kms:Encrypt", "kms:GenerateDataKey"))
                .resources(List.of(key.getKeyArn()))
                .build())))
        .installLatestAwsSdk(false)
        .build();
  }

  /** In a fixed order: the call is JSON in the template, and a reordering would look like a change. */
  private Map<String, Object> putParameter(DeploySettings settings) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("Name", settings.parameterName());
    parameters.put("Description",
        "Collector configuration for " + settings.appName() + " (from " + settings.collectorConfigFile() + ")");
    parameters.put("Value", settings.collectorConfigYaml());
    parameters.put("Type", "SecureString");
    parameters.put("KeyId", key.getKeyArn());
    parameters.put("Overwrite", true);
    return parameters;
  }

  /** The seed's key policy: the account, the key administrators, use and AWS-resource grants by ECS. */
  private List<PolicyStatement> keyPolicy(DeploySettings settings, IRole executionRole) {
    List<PolicyStatement> statements = new ArrayList<>();
    statements.add(PolicyStatement.Builder.create()
        .sid("Enable IAM User Permissions")
        .principals(List.of(new AccountRootPrincipal()))
        .actions(List.of("kms:*"))
        .resources(List.of("*"))
        .build());
    if (settings.keyAdminArn() != null) {
      statements.add(PolicyStatement.Builder.create()
          .sid("Allow access for Key Administrators")
          .principals(List.of(new ArnPrincipal(settings.keyAdminArn())))
          .actions(KEY_ADMIN_ACTIONS)
          .resources(List.of("*"))
          .build());
    }
    statements.add(PolicyStatement.Builder.create()
        .sid("Allow use of the key")
        .principals(List.of(executionRole))
        .actions(KEY_USE_ACTIONS)
        .resources(List.of("*"))
        .build());
    statements.add(PolicyStatement.Builder.create()
        .sid("Allow attachment of persistent resources")
        .principals(List.of(executionRole))
        .actions(KEY_GRANT_ACTIONS)
        .resources(List.of("*"))
        .conditions(Map.of("Bool", Map.of("kms:GrantIsForAWSResource", "true")))
        .build());
    return statements;
  }
}
