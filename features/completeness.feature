Feature: A reader can tell when an hour of the landing zone is complete
  As a finance analyst
  I want a marker in each landing hour once nothing more can land in it
  So that I only total an hour when it is final, and can check my totals against it

  Background:
    Given the pipeline is running on the local stack

  Scenario: An hour gets exactly one manifest once the writers have committed past its end, and not before
    When the merchant files these chargebacks and they land:
      | amount | currency | reason               |
      | 99.99  | USD      | Product not received |
      | 125000 | JPY      | Duplicate processing |
      | 12.345 | KWD      | Credit not processed |
    And the writer is stopped
    And the merchant files a chargeback of "0.01" "USD" that reaches Kafka but not the landing zone
    And the hour closer runs once as if the landing hour had ended
    Then the landing hour has no manifest
    And the closer said the hour waits for the writer group
    When the writer is started again
    And the late chargeback has landed
    And the hour closer closes the landing hour as if it had ended
    Then the landing hour has exactly one manifest
    And the manifest's row count and count and sum per currency equal a SQL query over the hour's files
    And the manifest lists exactly the hour's committed files
    And the merchant's 4 chargebacks are in the hours the manifests cover
    And the hour after the landing hour has no manifest
    When the hour closer runs once as if the landing hour had ended
    Then the manifest was not written again
