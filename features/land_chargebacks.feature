Feature: Every chargeback change lands once as a Parquet row
  As a payments data engineer
  I want every change to a chargeback to land exactly once in the Parquet landing zone
  So that downstream jobs see the same history as the chargebacks table

  Background:
    Given the pipeline is running on the local stack

  # @aws: also run by `npm run test:aws` against a deployed stack (and its rehearsal).
  @aws
  Scenario: A new chargeback lands as one INSERT row with its exact values
    When a merchant files a chargeback of "99.99" "USD" for "Product not received"
    Then the API answers 201 with status "RECEIVED" and a chargeback id
    And exactly one "INSERT" row for that chargeback lands under the UTC date and hour it was processed
    And the landed row has the chargeback's exact values

  Scenario: Zero-decimal and three-decimal currencies keep their exact amounts
    When a merchant files a chargeback of "125000" "JPY" for "Duplicate processing"
    Then exactly one "INSERT" row for that chargeback lands under the UTC date and hour it was processed
    And the landed row has the chargeback's exact values
    When a merchant files a chargeback of "12.345" "KWD" for "Credit not processed"
    Then exactly one "INSERT" row for that chargeback lands under the UTC date and hour it was processed
    And the landed row has the chargeback's exact values

  Scenario: A status change lands as a MODIFY row
    Given a merchant has filed a chargeback of "42.00" "EUR" for "Fraud - card absent"
    When the chargeback moves to "UNDER_REVIEW"
    Then the API answers 200 with status "UNDER_REVIEW"
    And exactly one "MODIFY" row for that chargeback lands with status "UNDER_REVIEW" and previous status "RECEIVED"

  Scenario: A deleted chargeback lands as a REMOVE row carrying the old image
    Given a merchant has filed a chargeback of "10.50" "GBP" for "Subscription cancelled"
    When the chargeback is deleted
    Then exactly one "REMOVE" row for that chargeback lands with status "RECEIVED" and previous status "RECEIVED"
    And the landed row has the chargeback's exact values

  Scenario: An illegal status change is refused and lands nothing
    Given a merchant has filed a chargeback of "5.00" "USD" for "Not as described"
    When the chargeback moves to "WON"
    Then the API answers 409 naming the allowed next statuses
    And no "MODIFY" row for that chargeback lands

  Scenario Outline: Invalid chargebacks are refused with the field named, and nothing lands
    When a merchant posts a chargeback with <problem>
    Then the API answers 400 naming the field "<field>" with "<message>"
    And nothing from that request lands

    @aws
    Examples: checked against a deployed stack too
      | problem                      | field       | message                        |
      | a negative amount            | amount      | positive decimal               |

    Examples:
      | problem                      | field       | message                        |
      | an unknown currency          | currency    | ISO 4217                       |
      | too many decimals for JPY    | amount      | JPY allows at most 0           |
      | too many decimals for USD    | amount      | USD allows at most 2           |
      | no merchant                  | merchant_id | is required                    |
      | the amount as a float string | amount      | positive decimal               |

  Scenario: A stream batch with one poison record lands the good records and dead-letters the poison one
    When a batch of 3 chargebacks is written straight to the table, one of them with currency "ZZZ"
    Then the 2 good chargebacks each land exactly one "INSERT" row
    And the poison chargeback is in the stream processor's dead-letter queue with a reason naming "currency"
    And nothing lands for the poison chargeback
