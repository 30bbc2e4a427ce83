#!/bin/sh
# A tool: a small heap, warnings only.
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256M}"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.properties}"
exec /opt/kafka/bin/kafka-run-class.sh kafka.admin.ConfigCommand "$@"
