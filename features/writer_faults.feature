Feature: The writer stops loudly when its landing state does not match the topic
  As an engineer running the pipeline on my machine
  I want a writer whose landed progress is ahead of the topic to refuse to run, saying why
  So that records written after a topic re-creation are never skipped as "already landed"

  Background:
    Given the pipeline is running on the local stack

  Scenario: The topic is deleted and re-created under a landing state that points past its end
    Given a writer has landed 30 records of its own topic and stopped
    When that topic is deleted and created again, and 5 new records are produced to it
    Then a writer started on it exits non-zero naming the topic, a partition, its committed progress and the log end
    And the message says to run stack reset or to use a fresh bucket or prefix
