Feature: The landing zone is a table in the Glue Data Catalog
  As a payments analyst
  I want the landing zone registered as one table whose columns come from the schema
  So that every new hour is queryable in Athena as soon as it lands, with no crawler

  Background:
    Given the pipeline is running on the local stack

  Scenario: stack up registers chargeback_changes with the schema's columns and partition projection
    Then the local Glue has the table "chargeback_changes" in the database "chargeback_cdc" over the landing prefix
    And the table's columns are the fields of the Avro schema, in order, with exact decimal money and timestamps
    And the table's partitions are projected by UTC day "yyyy-MM-dd" and two-digit hour over the landing layout
    And the table has no registered partitions, so no crawler or partition job is needed

  Scenario: A landed part file sits in the folder the table projects for its hour
    When a merchant files a chargeback of "99.99" "USD" for "Catalog check"
    Then exactly one "INSERT" row for that chargeback lands under the UTC date and hour it was processed
    And the part file holding that row is in the folder the Glue table projects for its UTC day and hour

  # The consolidated table (infra/constructs/AnalyticsCatalog.ts) reads a complete day through its
  # symlink file; the day is built as in features/query.feature's consolidated-day scenario.
  Scenario: A complete consolidated day's symlink file sits where the consolidated table projects the day, listing exactly its manifest's files
    Given a merchant has filed a chargeback of "99.99" "USD" for "Catalog symlink check"
    When all 1 changes of the merchant have landed
    Given a past day in which nothing has landed gets these changes of the merchant in its hours, as part files from a fixture:
      | hour | amount | currency |
      | 05   | 1.00   | USD      |
      | 05   | 2.00   | EUR      |
    When the hour closer, started at the past day's first hour, closes every hour that has ended
    And the past day is consolidated, complete
    And an orphan Parquet file holding the merchant's changes of the past day is put in that day's consolidated folder
    Then the day's symlink file is in the folder chargeback_changes_consolidated projects for it and lists exactly its manifest's Parquet files
