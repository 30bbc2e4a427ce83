#!/bin/bash
# Starts the IAM sandbox on GATEWAY_LISTEN (the first address of LocalStack's list), waits until
# it answers, runs the ready hooks, says "Ready.", and stays in the foreground with the sandbox.
# SERVICES is accepted and must name only iam and sts: the sandbox offers nothing else.
set -euo pipefail
listen=${GATEWAY_LISTEN:-0.0.0.0:4566}
listen=${listen%%,*}
host=${listen%:*}
port=${listen##*:}
for s in ${SERVICES//,/ }; do
  case $s in iam | sts) ;; *) echo "localstack stand-in: service $s is not offered (only iam, sts)" >&2; exit 1 ;; esac
done
java ${JAVA_OPTS:--Xmx256m} -cp '/opt/iam-sandbox/lib/*' dev.roster.sandbox.iam.IamSandboxMain \
  --host "$host" --port "$port" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null' TERM INT
connect=$host
[[ $connect == 0.0.0.0 ]] && connect=127.0.0.1
export AWS_ENDPOINT_URL=http://$connect:$port AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "$AWS_ENDPOINT_URL/_sandbox/calls" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { wait $pid; exit $?; }
  sleep 0.2
done
for hook in /etc/localstack/init/ready.d/*; do
  [[ -f $hook ]] || continue
  echo "localstack stand-in: running $hook"
  case $hook in *.sh) bash "$hook" ;; esac
done
echo 'Ready.'
wait $pid
