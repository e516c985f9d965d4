Feature: A Kafka outage longer than any retry budget loses nothing
  As a payments data engineer
  I want the stream's changes to wait for Kafka however long it is down, up to the stream's 24 h retention
  So that an outage never turns into chargebacks missing from the landing zone

  # The deployed mapping used to give records up after 5 retries or 1 hour (only their sequence
  # range would have reached the DLQ). Scaled down: the broker stays down for longer than 60 s,
  # the smallest maximum record age AWS accepts, while the poller runs the deployed definition.

  Background:
    Given the pipeline is running on the local stack

  # "The fault took effect" = the stream processor's publish attempts, made after the changes were
  # filed, were refused by the stopped broker (a failed invocation inside the window is not
  # guaranteed: the invocation in flight can outlive the outage and succeed after the restart).
  Scenario: Kafka is down longer than the retry budget, and nothing is lost
    Given the poller runs the deployed event source mapping definition, with unlimited retries and record age
    When the Kafka broker is stopped
    And 20 chargebacks are filed
    And the Kafka broker stays down until those changes are 75 seconds old, and is started again
    Then the poller retried the failing batches during the outage and gave none of them up
    And reconcile reports every change landed exactly once
