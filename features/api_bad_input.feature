Feature: Bad API input gets a 4xx naming what is wrong, never a 500, and nothing of it is stored
  As a merchant integrating with the chargeback API
  I want every malformed request refused with an error that names the field or the problem
  So that what is stored is exactly what I sent, and I know what to fix when it is not

  Background:
    Given the pipeline is running on the local stack

  Scenario Outline: Text fields take only strings that UTF-8 can carry
    When a merchant posts a chargeback with <problem>
    Then the API answers 400 naming the field "<field>" with "<message>"
    And nothing from that request lands

    Examples:
      | problem                          | field       | message               |
      | a lone surrogate in the merchant | merchant_id | lone UTF-16 surrogate |
      | a number as the merchant         | merchant_id | must be a string      |
      | the currency as its ISO number   | currency    | must be a string      |
      | invalid UTF-8 in the merchant    | body        | is not valid UTF-8    |

  Scenario Outline: A body not declared as JSON is refused with 415
    When a merchant posts a valid chargeback as "<content type>"
    Then the API answers 415 naming the field "content-type" with "<message>"
    And nothing from that request lands

    Examples:
      | content type                      | message          |
      | text/plain                        | is not supported |
      | application/xml                   | is not supported |
      | application/x-www-form-urlencoded | is not supported |
      | no content type                   | is missing       |

  Scenario Outline: A body over the limit gets a clean 413, whatever its size
    When a merchant posts a valid chargeback padded to <size> MB
    Then the API answers 413 naming the field "body" with "is larger than"
    And nothing from that request lands

    Examples:
      | size |
      | 2    |
      | 10   |
      | 20   |
