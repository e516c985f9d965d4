@flink
Feature: Switching the writer engine lands every change exactly once
  As a data engineer moving the Parquet writer between the embedded writer and the Flink job
  I want a switch to hand the landing position over instead of each engine resuming from its own
  So that no change is landed twice or skipped, however often I switch

  Background:
    Given the pipeline is running on the local stack

  Scenario: Switching the writer from embedded to Flink and back under load lands every change exactly once
    When 300 chargeback requests are sent at 2 per second while the writer is switched from embedded to Flink and back with "chargeback-cdc handover"
    Then the handover was refused while the embedded writer was still running
    And each engine landed rows during its own turn and none outside it
    And reconcile reports every change landed exactly once
    And pyarrow finds no event_id in more than one landed row
