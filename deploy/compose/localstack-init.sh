#!/bin/sh
# LocalStack "ready" hook: the IAM side of deploy/roles.yaml, as the platform team's Terraform
# would create it. Roster never creates groups or roles itself.
set -eu
group() { acct=$1; shift; for g in "$@"; do AWS_ACCESS_KEY_ID=$acct AWS_SECRET_ACCESS_KEY=localstack awslocal iam create-group --group-name "$g" >/dev/null || true; done; }

group 111111111111 all-staff developers iam-user-managers
group 222222222222 readonly qa
group 333333333333 operators break-glass

# The cross-account role the provisioner assumes in staging and prod (see deploy/aws/).
for acct in 222222222222 333333333333; do
  AWS_ACCESS_KEY_ID=$acct AWS_SECRET_ACCESS_KEY=localstack awslocal iam create-role \
    --role-name roster-provisioner \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}' \
    >/dev/null || true
done
touch /tmp/roster-iam-ready
