#!/usr/bin/env bash
# `deploy/aws/synth.sh OUTDIR [-c key=value]...`: writes the CloudFormation template(s) and assets to
# OUTDIR with `cdk synth`, offline: a placeholder account, the seed's region, no credentials, and
# nothing that would make the CLI or the SDK call AWS (no notices, no telemetry, no instance metadata).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "usage: deploy/aws/synth.sh OUTDIR [-c key=value]..." >&2
  exit 2
fi
out="$(realpath -m "$1")"
shift
mkdir -p "$out"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE \
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_WEB_IDENTITY_TOKEN_FILE
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
# jsii's banner about the machine's Node.js release (it takes the major version) would fill CI's log.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="$node_major" JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="$node_major"
exec "$here/cdk.sh" synth --quiet --no-notices --no-version-reporting --output "$out" \
  -c account=123456789012 -c region=us-west-2 "$@"
