Feature: Exactly once through crashes, restarts, outages and poison input
  As a payments data engineer
  I want the landing zone to hold every chargeback change exactly once whatever fails, whichever engine writes it
  So that I can trust it without deduplicating downstream

  Each fault runs against both writers: the embedded writer in the default suite, the Flink job (a
  MiniCluster JVM, checkpoints retained on local disk) in the @flink suite (npm run test:flink-faults).
  The Flink job lands into a bucket and consumer group of its own, from the start of the topic, so its
  bucket too must hold the whole stream exactly once. Every scenario also checks that its fault hit.

  Background:
    Given the pipeline is running on the local stack

  Scenario Outline: The <engine> writer is killed with SIGKILL several times while load flows
    Given the landing zone is written by the <engine> writer
    When <requests> chargeback requests are sent while the writer is killed with SIGKILL 3 times and restarted
    Then every kill came while the writer had records on the topic that it had not committed
    And every restart resumed from the writer's last checkpoint, not from empty
    And reconcile reports every change landed exactly once
    And pyarrow finds no event_id twice in the landing zone

    # Load (20 a second) outlasting three restarts, so every kill finds records in flight; a JVM restart takes 25-60 s.
    Examples: embedded writer
      | engine   | requests |
      | embedded | 600      |

    @flink
    Examples: Flink job
      | engine | requests |
      | flink  | 900      |

  Scenario Outline: The Kafka broker stops and comes back in the middle of the load (<engine> writer)
    Given the landing zone is written by the <engine> writer
    When 200 chargeback requests are sent while the Kafka broker is stopped for 10 seconds
    Then the broker stopped while the writer had records it had not committed, and the writer lost its connection to it
    And reconcile reports every change landed exactly once
    And pyarrow finds no event_id twice in the landing zone

    Examples: embedded writer
      | engine   |
      | embedded |

    @flink
    Examples: Flink job
      | engine |
      | flink  |

  Scenario Outline: S3 refuses connections, then answers 5xx, for 30 seconds (<engine> writer)
    Given the landing zone is written by the <engine> writer
    When 200 chargeback requests are sent while S3 refuses connections for 15 seconds and then answers 503 for 15 seconds
    Then S3 refused the writer's requests during the outage, and the writer's commits failed until it ended
    And the writer kept its memory bounded during the outage
    And reconcile reports every change landed exactly once
    And pyarrow finds no event_id twice in the landing zone

    Examples: embedded writer
      | engine   |
      | embedded |

    @flink
    Examples: Flink job
      | engine |
      | flink  |

  # Embedded writer only: two Flink jobs on one group would each read every partition (the Kafka source
  # assigns partitions itself); the Flink job scales by parallelism inside one job (pipeline/flink-job/README.md).
  Scenario: Two writers share the group and one of them is killed
    Given a second writer has joined the consumer group
    When 200 chargeback requests are sent while one of the two writers is killed with SIGKILL
    Then every kill came while the writer had records on the topic that it had not committed
    And reconcile reports every change landed exactly once
    And pyarrow finds no event_id twice in the landing zone

  Scenario Outline: The stream processor fails after publishing, so its batches reach Kafka twice (<engine> writer)
    Given the landing zone is written by the <engine> writer
    And the stream processor will fail 3 batches after publishing them
    When 50 chargebacks are filed
    Then some changes reached the chargebacks topic more than once
    And reconcile reports every change landed exactly once
    And pyarrow finds no event_id twice in the landing zone

    Examples: embedded writer
      | engine   |
      | embedded |

    @flink
    Examples: Flink job
      | engine |
      | flink  |

  Scenario Outline: Poison records on the topic go to the dead-letter topic and the partition keeps flowing (<engine> writer)
    Given the landing zone is written by the <engine> writer
    When records that are not JSON, fail validation, and carry an unknown schema version are put on the chargebacks topic
    And a merchant files a chargeback of "7.77" "USD" for "After the poison"
    Then each poison record is on "chargebacks-dlq" with its original bytes and a reason naming the problem
    And exactly one "INSERT" row for that chargeback lands under the UTC date and hour it was processed
    And reconcile reports every change landed exactly once
    And pyarrow finds no event_id twice in the landing zone

    Examples: embedded writer
      | engine   |
      | embedded |

    @flink
    Examples: Flink job
      | engine |
      | flink  |
