@contract
Feature: The embedded writer and the Flink job are interchangeable
  As a data engineer choosing where the Parquet writer runs
  I want the embedded writer and the real Flink job to land the same rows and dead-letter the same records from the same topic
  So that switching between them changes nothing downstream

  Background:
    Given the pipeline is running on the local stack

  Scenario: Same change records in, same Parquet rows and the same dead letters out, read by independent readers
    Given a topic holding change records with edge values, upstream duplicates and poison records
    When the embedded writer and the Flink job each land that topic into their own bucket and dead-letter topic
    Then pyarrow reads identical schemas from both writers' files
    And pyarrow reads the same rows from both, equal to the topic's records without its duplicates and poison
    And both writers dead-letter exactly the poison records, each with its original key, bytes and headers and the same reason
    And both writers' files are SNAPPY-compressed under landing/chargebacks/YYYY-MM-DD/HH/

  Scenario: The Flink job is a drop-in writer for the running pipeline
    Given the writer is replaced by "chargeback-cdc run writer --engine flink"
    When a merchant files a chargeback of "314.15" "USD" for "Flink engine"
    Then exactly one "INSERT" row for that chargeback lands under the UTC date and hour it was processed
    And the landed row has the chargeback's exact values
