@stack
Feature: The local stack never loses data silently
  As an engineer running the pipeline on my machine
  I want a crashed Kafka broker to come back on the data it had
  So that the topic, its offsets and the landing zone stay in step and nothing is re-landed or lost

  Background:
    Given the pipeline is running on the local stack

  Scenario: The broker is killed with SIGKILL and `stack up` starts it again on its data
    When 60 chargeback requests are sent
    Then reconcile reports every change landed exactly once
    When the Kafka broker is killed with SIGKILL and `chargeback-cdc stack up` is run
    Then stack up restarted the broker on its existing data without re-formatting it
    And the chargebacks topic still holds every record it had before the kill, at the same offsets
    When 40 chargeback requests are sent
    Then reconcile reports every change landed exactly once
