Feature: Analysts run SQL on the landing zone
  As a payments analyst
  I want to query every landed change and every chargeback's current state with SQL
  So that I can answer questions from the landing zone without building a pipeline of my own

  Background:
    Given the pipeline is running on the local stack

  Scenario: Filing, changing and deleting chargebacks gives exactly the expected rows in both views
    Given a merchant has filed a chargeback of "99.99" "USD" for "Product not received"
    When the chargeback moves to "UNDER_REVIEW"
    Then the API answers 200 with status "UNDER_REVIEW"
    Given a merchant has filed a chargeback of "12.345" "KWD" for "Credit not processed"
    When the chargeback is deleted
    Given a merchant has filed a chargeback of "125000" "JPY" for "Duplicate processing"
    When all 5 changes of the merchant have landed
    Then querying "SELECT event_type, reason, amount, currency, status, previous_status FROM chargeback_changes WHERE merchant_id = '{merchant}'" gives exactly:
      | event_type | reason               | amount      | currency | status       | previous_status |
      | INSERT     | Product not received | 99.9900     | USD      | RECEIVED     |                 |
      | MODIFY     | Product not received | 99.9900     | USD      | UNDER_REVIEW | RECEIVED        |
      | INSERT     | Credit not processed | 12.3450     | KWD      | RECEIVED     |                 |
      | REMOVE     | Credit not processed | 12.3450     | KWD      | RECEIVED     | RECEIVED        |
      | INSERT     | Duplicate processing | 125000.0000 | JPY      | RECEIVED     |                 |
    And querying "SELECT reason, amount, currency, status, event_type FROM chargebacks_current WHERE merchant_id = '{merchant}'" gives exactly:
      | reason               | amount      | currency | status       | event_type |
      | Product not received | 99.9900     | USD      | UNDER_REVIEW | MODIFY     |
      | Duplicate processing | 125000.0000 | JPY      | RECEIVED     | INSERT     |
    And querying "SELECT currency, sum(amount) AS total, count(*) AS changes FROM chargeback_changes WHERE merchant_id = '{merchant}' GROUP BY currency" gives exactly:
      | currency | total       | changes |
      | USD      | 199.9800    | 2       |
      | KWD      | 24.6900     | 2       |
      | JPY      | 125000.0000 | 1       |
    And every row of chargebacks_current for the merchant has the chargeback id and timestamps the API gave

  Scenario: A query on an hour with no data returns no rows, not an error
    Then querying "SELECT * FROM chargebacks_current" on the landing hour "2000-01-01/00" gives no rows in every output format
    And querying "SELECT count(*) AS changes, sum(amount) AS total FROM chargeback_changes WHERE event_time >= TIMESTAMPTZ '2000-01-01 00:00:00+00' AND event_time < TIMESTAMPTZ '2000-01-01 01:00:00+00'" gives exactly:
      | changes | total |
      | 0       |       |

  Scenario: Bad SQL is refused with one line naming the problem
    Then querying "SELECT amout FROM chargeback_changes" fails with exit code 1 and the one-line error "SQL error: Binder Error: Referenced column \"amout\" not found"
