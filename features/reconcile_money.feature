Feature: Reconciliation in money terms
  As a finance analyst
  I want the landing zone's counts and amount sums per hour and currency to equal the table's stream
  So that I can trust the landed money without recounting it myself

  Background:
    Given the pipeline is running on the local stack

  Scenario: After a load through the API every hour's count and sum match, and so does every chargeback
    When 200 chargeback requests are sent
    Then `chargeback-cdc reconcile --by hour` reports every hour's count and sum matching the stream
    And `chargeback-cdc reconcile --by chargeback` reports every chargeback's count and latest amount matching the stream

  Scenario: A part file landed twice shows as a difference in its hour
    When 20 chargeback requests are sent
    And every change has landed in money terms
    And a copy of one landed part file appears under another part name
    Then `chargeback-cdc reconcile --by hour` exits 2 naming the earliest hour of that file as the first that differs
