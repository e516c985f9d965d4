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

  # The rule: pipeline/query/README.md, "Which copy of a day is read". Today cannot be complete
  # before it ends (and a forced day is complete: false, which readers do not use), so the
  # consolidated day is a past day, built from a fixture and closed by the real hour closer.
  Scenario: A complete consolidated day is read from the files its manifest lists, other days from the landing zone, each change once
    Given a merchant has filed a chargeback of "99.99" "USD" for "Product not received"
    When the chargeback moves to "UNDER_REVIEW"
    Then the API answers 200 with status "UNDER_REVIEW"
    When all 2 changes of the merchant have landed
    Given a past day in which nothing has landed gets these changes of the merchant in its hours, as part files from a fixture:
      | hour | amount   | currency |
      | 00   | 10.00    | USD      |
      | 00   | 0.01     | USD      |
      | 23   | 12.345   | KWD      |
    When the hour closer, started at the past day's first hour, closes every hour that has ended
    And the past day is consolidated, complete
    And an orphan Parquet file holding the merchant's changes of the past day is put in that day's consolidated folder
    Then querying "SELECT currency, count(*) AS changes, sum(amount) AS total FROM chargeback_changes WHERE merchant_id = '{merchant}' GROUP BY currency" gives exactly:
      | currency | changes | total    |
      | USD      | 4       | 209.9900 |
      | KWD      | 1       | 12.3450  |
    And the query read the past day from its consolidated copy and today from the landing zone
    And querying "SELECT count(*) AS changes, sum(amount) AS total FROM chargeback_changes_all WHERE merchant_id = '{merchant}'" with "--source consolidated" gives exactly:
      | changes | total   |
      | 3       | 22.3550 |
    And querying "SELECT count(*) AS changes, sum(amount) AS total FROM chargeback_changes WHERE merchant_id = '{merchant}'" with "--source landing" gives exactly:
      | changes | total    |
      | 5       | 222.3350 |
    And querying "SELECT count(*) AS current FROM chargebacks_current WHERE merchant_id = '{merchant}'" gives exactly:
      | current |
      | 4       |
