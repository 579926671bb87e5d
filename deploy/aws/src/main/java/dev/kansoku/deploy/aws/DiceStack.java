package dev.kansoku.deploy.aws;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.amazon.awscdk.services.ecr.Repository;
import software.constructs.Construct;

/**
 * The seed article's system in one stack: roles, key, SecureString parameter, ECR, VPC (new or
 * existing), cluster, task, service and NLB. Deploy once with desiredCount=0 to get the ECR
 * repositories, push the images, then deploy again (README "Deploy to AWS").
 */
public final class DiceStack extends Stack {
  static final String ADOT_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector";

  public DiceStack(Construct scope, String id, DeploySettings settings) {
    super(scope, id, StackProps.builder()
        .env(Environment.builder().account(settings.account()).region(settings.region()).build())
        .description("Kansoku deploy/aws: the " + settings.appName() + " app on ECS Fargate with an "
            + settings.collector().name().toLowerCase() + " collector sidecar, behind an NLB")
        .build());

    Repository diceRepository = repository("DiceRepository", settings.appName());
    String collectorImage = switch (settings.collector()) {
      case ADOT -> ADOT_IMAGE + ":" + settings.collectorImageTag();
      case KANSOKU -> {
        Repository kansoku = repository("CollectorRepository", settings.appName() + "-kansoku");
        CfnOutput.Builder.create(this, "CollectorRepositoryUri")
            .description("docker push Kansoku's collector image here (deploy/docker/kansoku/Dockerfile)")
            .value(kansoku.getRepositoryUri())
            .build();
        yield kansoku.repositoryUriForTag(settings.collectorImageTag());
      }
    };

    TaskRoles roles = new TaskRoles(this, "Roles");
    CollectorConfigParameter config = new CollectorConfigParameter(this, "CollectorConfig", settings, roles.executionRole);
    DiceService dice = new DiceService(this, "Dice", settings, vpc(settings), roles, config,
        diceRepository.repositoryUriForTag(settings.diceImageTag()), collectorImage);

    CfnOutput.Builder.create(this, "DiceRepositoryUri")
        .description("docker push the dice image here (examples/dice/Dockerfile)")
        .value(diceRepository.getRepositoryUri())
        .build();
    ConsoleLinks.add(this, settings, dice);
  }

  /**
   * Two AZs of the region, resolved by CloudFormation at deploy time. CDK's default looks them up at
   * synth time, which needs AWS credentials whenever the account is named; this keeps synth offline.
   */
  @Override
  public List<String> getAvailabilityZones() {
    return List.of(Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs()));
  }

  private Repository repository(String id, String name) {
    return Repository.Builder.create(this, id)
        .repositoryName(name)
        .imageScanOnPush(true)
        .removalPolicy(RemovalPolicy.DESTROY)
        .emptyOnDelete(true)
        .build();
  }

  private IVpc vpc(DeploySettings settings) {
    if (settings.vpcId() != null) {
      return Vpc.fromLookup(this, "Vpc", VpcLookupOptions.builder().vpcId(settings.vpcId()).build());
    }
    // Two AZs for the NLB, one NAT gateway: the tasks sit in private subnets and reach ECR, X-Ray
    // and CloudWatch through it.
    return Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(1).build();
  }
}
