#!/usr/bin/env bash
# The AWS CDK command line on this app: `deploy/aws/cdk.sh synth|deploy|destroy|diff [-c key=value]...`.
# Builds the Java app with Maven when it is missing or older than its sources, and installs the CLI
# version pinned in package.json into deploy/aws/node_modules on first use (Node.js from the machine).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

app="$here/target/classes/dev/kansoku/deploy/aws/DeployApp.class"
if [ ! -f "$app" ] || [ ! -d "$here/target/lib" ] \
    || [ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$app" -print -quit)" ]; then
  echo "cdk.sh: building the app (mvn -pl deploy/aws -am package)..." >&2
  # -am: the module's tests use kansoku-server from the same build (the collector YAML validator).
  (cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests -pl deploy/aws -am package) >&2
fi

cli="$here/node_modules/aws-cdk/package.json"
pinned="$(sed -n 's/.*"aws-cdk": "\(.*\)".*/\1/p' "$here/package.json")"
if [ ! -f "$cli" ] || ! grep -q "\"version\": \"$pinned\"" "$cli"; then
  echo "cdk.sh: installing the AWS CDK CLI $pinned (npm, into deploy/aws/node_modules)..." >&2
  (cd "$here" && npm install --no-package-lock --no-audit --no-fund --loglevel=error) >&2
fi

# No update checks, no telemetry.
export CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true
cd "$here"
exec node_modules/.bin/cdk "$@"
