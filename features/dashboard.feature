Feature: See the pipeline: one set of metrics for CloudWatch, Prometheus and a local dashboard
  As an engineer running the pipeline on my laptop
  I want every stage's numbers in one place, with the alarms CloudWatch would raise
  So that I can watch chargebacks flow and spot trouble before it reaches production

  Background:
    Given the pipeline is running on the local stack

  Scenario: /metrics serves Prometheus text whose counters move when a chargeback flows
    Given the Prometheus metrics have been read from /metrics
    When a merchant files a chargeback of "12.34" "USD" for "Duplicate processing"
    Then the API counters "ApiRequests" and "ChargebacksCreated" have grown in /metrics
    And within the landing time the counters "StreamRecords", "KafkaRecordsProduced" and "RowsLanded" have grown in /metrics

  Scenario: The dashboard shows live numbers in a real browser and sees a chargeback land
    Given the dashboard is open in headless Chromium
    Then it draws every widget of the catalogue, the headline figures and the latest landed files
    And it shows every alarm with its CloudWatch threshold and a state
    When a merchant files a chargeback of "77.70" "EUR" for "Product not received"
    Then the dashboard's rows-landed figure grows and its files list shows the part file that holds the chargeback
    And a screenshot of the dashboard is saved as "reports/dashboard.png"
    And clicking that file opens its inspect view with the chargeback's row
