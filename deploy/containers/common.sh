# Shared by prepare and stop (sourced, not run): where the project's own Docker engine lives.
# Everything is outside the repository; nothing here is used by the Debian docker service.

# The engine's state (data-root with images and volumes, its log) and its runtime directory
# (socket, exec-root, pid file: gone on reboot, like the engine).
ROSTER_CONTAINERS_HOME=${ROSTER_CONTAINERS_HOME:-/var/lib/roster-containers}
ROSTER_CONTAINERS_RUN=${ROSTER_CONTAINERS_RUN:-/run/roster-docker}
# docker save archives of the stand-in images, reused across runs (a speed-up only: a fresh
# machine builds them).
ROSTER_CONTAINERS_CACHE=${ROSTER_CONTAINERS_CACHE:-/var/cache/roster-containers}

ROSTER_DOCKER_SOCKET=$ROSTER_CONTAINERS_RUN/docker.sock
ROSTER_DOCKER_PIDFILE=$ROSTER_CONTAINERS_RUN/dockerd.pid
# Written by prepare, read by the container tests: "ready DOCKER_HOST" or "unavailable: why"
# (the tests skip) or "failed: why" (the tests fail).
ROSTER_CONTAINERS_MARKER=${ROSTER_CONTAINERS_MARKER:-$ROSTER_CONTAINERS_HOME/status}

export DOCKER_HOST=unix://$ROSTER_DOCKER_SOCKET
# Debian's client (API 1.41) and its classic builder; another docker client on the PATH may
# speak BuildKit to an engine that is set up without it.
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=0

# The stand-in images, in build order: name, directory under images/, base it is built from.
# The names are exactly those deploy/compose and the e2e container tests use.
ROSTER_BASE_IMAGE=roster-standin/debian:bookworm
ROSTER_JRE_IMAGE=roster-standin/jre:17
ROSTER_STANDINS=(
  "$ROSTER_JRE_IMAGE jre $ROSTER_BASE_IMAGE"
  "postgres:15 postgres $ROSTER_BASE_IMAGE"
  "apache/kafka:4.1.1 kafka $ROSTER_JRE_IMAGE"
  "roster-standin/localstack-base:4 localstack $ROSTER_JRE_IMAGE"
)

containers_log() { printf 'containers: %s\n' "$*" >&2; }

engine_up() { [[ -S $ROSTER_DOCKER_SOCKET ]] && "$DOCKER" version >/dev/null 2>&1; }
