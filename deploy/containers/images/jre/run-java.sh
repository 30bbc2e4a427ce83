#!/bin/sh
# The UBI OpenJDK image's launcher, in short: runs $JAVA_APP_JAR with $JAVA_OPTS (default: heap up
# to 80 % of the container's memory, exit on OutOfMemoryError) and $JAVA_OPTS_APPEND; JAVA_DEBUG=true
# opens a debugger on $JAVA_DEBUG_PORT (default 5005); arguments and $JAVA_ARGS go to the application.
set -eu
: "${JAVA_APP_JAR:?JAVA_APP_JAR is not set}"
debug=
if [ "${JAVA_DEBUG:-false}" = true ]; then
  debug="-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=${JAVA_DEBUG_PORT:-5005}"
fi
# shellcheck disable=SC2086 # options are word lists, as in the original
exec java ${JAVA_OPTS:--XX:MaxRAMPercentage=80.0 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError} \
  $debug ${JAVA_OPTS_APPEND:-} -jar "$JAVA_APP_JAR" ${JAVA_ARGS:-} "$@"
