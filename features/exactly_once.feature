Feature: Exactly once through crashes, restarts, outages and poison input
  As a payments data engineer
  I want the landing zone to hold every chargeback change exactly once whatever fails
  So that I can trust it without deduplicating downstream

  Background:
    Given the pipeline is running on the local stack

  Scenario: The writer is killed with SIGKILL several times while load flows
    When 300 chargeback requests are sent while the writer is killed with SIGKILL 3 times and restarted
    Then reconcile reports every change landed exactly once

  Scenario: The Kafka broker stops and comes back in the middle of the load
    When 200 chargeback requests are sent while the Kafka broker is stopped for 10 seconds
    Then reconcile reports every change landed exactly once

  Scenario: S3 refuses connections, then answers 5xx, for 30 seconds
    When 200 chargeback requests are sent while S3 refuses connections for 15 seconds and then answers 503 for 15 seconds
    Then the writer kept its memory bounded during the outage
    And reconcile reports every change landed exactly once

  Scenario: Two writers share the group and one of them is killed
    Given a second writer has joined the consumer group
    When 200 chargeback requests are sent while one of the two writers is killed with SIGKILL
    Then reconcile reports every change landed exactly once

  Scenario: The stream processor fails after publishing, so its batches reach Kafka twice
    Given the stream processor will fail 3 batches after publishing them
    When 50 chargebacks are filed
    Then some changes reached the chargebacks topic more than once
    And reconcile reports every change landed exactly once

  Scenario: Poison records on the topic go to the dead-letter topic and the partition keeps flowing
    When records that are not JSON, fail validation, and carry an unknown schema version are put on the chargebacks topic
    And a merchant files a chargeback of "7.77" "USD" for "After the poison"
    Then each poison record is on "chargebacks-dlq" with its original bytes and a reason naming the problem
    And exactly one "INSERT" row for that chargeback lands under the UTC date and hour it was processed
    And reconcile reports every change landed exactly once
