Feature: A UTC day of the landing zone is consolidated, and exported as CSV, idempotently
  As a finance analyst
  I want each complete day as a few sorted Parquet files and one CSV, listed by a manifest
  So that I read a day fast, hand it to a spreadsheet, and get the same day however often the job runs or dies

  # Each scenario lands the topic with a writer of its own (own consumer group and landing prefix),
  # so its day holds exactly what that writer landed. The day's 24 hour markers come from the
  # real hour closer (`chargeback-cdc close-hours`) started as if it had closed every hour before
  # the day and judging the hours by a clock just past the day's end: the markers of the hours
  # still to come today are written early, in the scenario's prefix only. The job runs as the
  # `chargeback-cdc consolidate` process an operator or the schedule starts.

  Background:
    Given the pipeline is running on the local stack
    And a writer of the scenario lands the topic under a landing prefix of its own

  Scenario: a day of changes consolidates into files whose rows equal the landing zone's, with equal count and sum per currency
    When the merchant files 30 chargebacks in USD, JPY and KWD and they land under the scenario's prefix
    And the hour closer closes all 24 hours of the day as if the day had ended
    And the day is consolidated with a target size of 2KB
    Then the manifest says the day is complete and lists more than one part file and a CSV
    And the part files' rows equal the landing zone's rows read with pyarrow, with equal count and exact sum per currency
    And the Athena symlink lists the manifest's part files

  Scenario: a rerun changes nothing
    When the merchant files 20 chargebacks in USD, JPY and KWD and they land under the scenario's prefix
    And the hour closer closes all 24 hours of the day as if the day had ended
    And the day is consolidated with a target size of 2KB
    And the day is consolidated again with a target size of 2KB
    Then the rerun said the day is up to date
    And the day's objects have the same keys, ETags and bytes as after the first run, and there are no new ones

  Scenario: a crash mid-run leaves readers a consistent day
    When the merchant files 20 chargebacks in USD, JPY and KWD and they land under the scenario's prefix
    And the hour closer closes all 24 hours of the day as if the day had ended
    And the day is consolidated with a target size of 2KB
    And the consolidation at a target size of 1 byte is killed with SIGKILL after its first part file reached the bucket
    Then the killed run left part files no manifest lists
    And readers following the manifest see the previous day or the new one, every file whole
    And the Athena symlink names only part files that exist
    When the day is consolidated with a target size of 1 byte
    Then the manifest lists a part file per row, the day's folder holds only what it lists, and the rows equal the landing zone's
    And the Athena symlink lists the manifest's part files

  Scenario: the CSV reads back to the same rows with Python's csv module
    When the merchant files these chargebacks and they land under the scenario's prefix:
      | amount | currency | reason                                 |
      | 99.99  | USD      | Product not received                   |
      | 125000 | JPY      | Wrong, "XL" size\nsent back 📦          |
      | 12.345 | KWD      | "Quoted", comma, and a line\nbreak ✓   |
    And the hour closer closes all 24 hours of the day as if the day had ended
    And the day is consolidated with a target size of 2KB
    Then the CSV is UTF-8 without a BOM with CRLF line ends
    And Python's csv module reads the CSV back to the part files' rows, value for value
    And the reasons read back from the CSV are the ones filed
