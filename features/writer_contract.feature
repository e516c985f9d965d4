@contract
Feature: The embedded writer and the Flink job are interchangeable
  As a data engineer choosing where the Parquet writer runs
  I want the embedded writer and the real Flink job to land the same files from the same topic
  So that switching between them changes nothing downstream

  Background:
    Given the pipeline is running on the local stack

  Scenario: Same change records in, same Parquet schema and rows out, read by an independent reader
    Given a topic holding change records with edge values
    When the embedded writer and the Flink job each land that topic into their own bucket
    Then pyarrow reads identical schemas from both writers' files
    And pyarrow reads the same rows from both, equal to the records on the topic
    And both writers' files are SNAPPY-compressed under landing/chargebacks/YYYY-MM-DD/HH/

  Scenario: The Flink job is a drop-in writer for the running pipeline
    Given the writer is replaced by "chargeback-cdc run writer --engine flink"
    When a merchant files a chargeback of "314.15" "USD" for "Flink engine"
    Then exactly one "INSERT" row for that chargeback lands under the UTC date and hour it was processed
    And the landed row has the chargeback's exact values
