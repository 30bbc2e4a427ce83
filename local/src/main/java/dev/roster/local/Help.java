package dev.roster.local;

/**
 * What {@code ./roster --help} and {@code ./roster <command> --help} print (on standard output).
 */
final class Help {
  static final String TAIL_USAGE =
      "usage: ./roster tail [hr|changes|dlq] [--json] [--from-beginning] [--max N]"
          + " [--bootstrap-servers HOST:PORT] [--kafka-config FILE] [--data-dir DIR]";
  static final String DLQ_USAGE =
      "usage: ./roster dlq list [--reason R] | show ID | replay (ID | --reason R)"
          + " [--topic hr.events.dlq|audit.dlq] [--json] [--bootstrap-servers HOST:PORT]"
          + " [--kafka-config FILE] [--data-dir DIR]";

  static final String REVIEW_USAGE =
      "usage: ./roster review [--json] [--bootstrap-servers HOST:PORT] [--kafka-config FILE]"
          + " [--data-dir DIR] | review --run [--json] [--provisioner-url URL] [--data-dir DIR]";

  private static final String KAFKA_OPTIONS =
      """
        --bootstrap-servers HOST:PORT  any Kafka cluster (default: the local stack's broker, from
                                       the roster.pid of its data directory)
        --kafka-config FILE            client properties for a secured cluster (security.protocol,
                                       sasl.*, ssl.*); default for the local stack: its
                                       kafka-client.properties
        --data-dir DIR                 the local stack's data directory (default .roster)
      """;

  static final String MAIN =
      """
      Roster on one machine, and an operator's view of any Roster cluster.

      usage: ./roster COMMAND [OPTIONS]     ./roster COMMAND --help for one command

        up        start Kafka, PostgreSQL, the IAM sandbox and the three services
        down      stop the stack started with up --detach
        status    health of every part of the local stack
        post      sign and post an HR event (or a JSON array as a batch) to hr-listener
        tail      follow hr.events, iam.changes or the dead-letter topics, one line per record
        dlq       list, show and replay the dead letters of hr.events.dlq and audit.dlq
        review    the latest access review and its findings; --run starts one now

      Every error is one sentence; exit codes: 0 ok, 1 failure, 2 usage, 3 status found a part down.
      """;

  static final String UP =
      """
      usage: ./roster up [--demo] [--detach] [--fresh] [--data-dir DIR] [--roles FILE] [--iam-endpoint URL]

      Builds the services if needed, starts everything on this machine and prints the URLs and
      credentials; Ctrl-C stops everything.
        --demo               post a sample story (two hires, a role change, a leave) and show it
        --detach             run in the background; ./roster down stops it
        --fresh              wipe the data directory first
        --data-dir DIR       data directory (default .roster)
        --roles FILE         role mapping (default deploy/roles.yaml)
        --iam-endpoint URL   LocalStack, moto, or 'aws' for real AWS (then no IAM sandbox)
      """;

  static final String DOWN =
      """
      usage: ./roster down [--data-dir DIR]

      Stops the stack started from DIR (default .roster) with ./roster up --detach.
      """;

  static final String STATUS =
      """
      usage: ./roster status [--data-dir DIR]

      Health of every part of the local stack; exit code 3 if one is down.
      """;

  static final String POST =
      """
      usage: ./roster post FILE.json [--data-dir DIR]

      Signs FILE.json (X-Roster-Signature, secret from ROSTER_WEBHOOK_SECRET or DIR/webhook-secret)
      and posts it to hr-listener: /v1/events, or /v1/events/batch for a JSON array.
      """;

  static final String TAIL =
      TAIL_USAGE
          + "\n\n"
          + """
          Follows topics live (from their end), one line per record:
            time  topic  event  employee  action  account  outcome
          until Ctrl-C or --max records.
            hr                   hr.events
            changes              iam.changes (IAM changes and provisioning outcomes)
            dlq                  hr.events.dlq and audit.dlq (outcome = dlq:<reason>)
                                 (no topic: all of them)
            --json               one JSON object per line instead
            --from-beginning     start at the oldest record instead of the end
            --max N              stop after N records
          """
          + KAFKA_OPTIONS;

  static final String DLQ =
      DLQ_USAGE
          + "\n\n"
          + """
          The dead letters of hr.events.dlq (what the provisioner could not process) and audit.dlq
          (what the auditor could not store), with the reason from their dlq_* headers.
            list [--reason R]    every dead letter: where, when, event, employee, reason, cause
            show ID              one dead letter: headers and value; ID is TOPIC/PARTITION@OFFSET,
                                 PARTITION@OFFSET (with --topic) or an event id
            replay ID            sends it back to its source topic (dlq_topic header) with its
                                 key, value and CloudEvents headers, without the dlq_* headers,
                                 plus roster_replayed_from and roster_replayed_at
            replay --reason R    the same for every dead letter of reason R (the latest per event)
            --topic T            only hr.events.dlq or audit.dlq
            --json               one JSON object per line (list, show)
          Replay once the cause is fixed; each replay is printed and appended to
          DIR/logs/dlq-replay.log, and the provisioner's new outcome is stored by the auditor.
          """
          + KAFKA_OPTIONS;

  static final String REVIEW =
      REVIEW_USAGE
          + "\n\n"
          + """
          The latest review on the topic reviews (the one that started last): a header line
            review ID  STATUS  started T  completed T  N findings (KIND N, ...)  accounts A,B
          then one line per finding published before its final status:
            account  kind  user (employee)  subject  detail
          A review still running shows the findings so far.
            --json               one JSON object instead: {"review": {...}, "findings": [...]}
            --run                start a review now: POST /v1/reviews on the provisioner with
                                 Authorization: Bearer $ROSTER_REVIEW_TOKEN (default for the
                                 local stack: DIR/review-token); prints the review id, or says
                                 that one is already running (exit code 1)
            --provisioner-url URL  with --run: the provisioner (default: the local stack's, from
                                 the roster.pid of its data directory, else
                                 http://127.0.0.1:8081)
          """
          + KAFKA_OPTIONS;

  private Help() {}

  /** The help of one command, or null for an unknown one. */
  static String of(String command) {
    return switch (command) {
      case "up" -> UP;
      case "down" -> DOWN;
      case "status" -> STATUS;
      case "post" -> POST;
      case "tail" -> TAIL;
      case "dlq" -> DLQ;
      case "review" -> REVIEW;
      default -> null;
    };
  }
}
