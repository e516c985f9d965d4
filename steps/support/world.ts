import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { Chargeback, ChargebackStatus, ChangeRecord, EventType } from '../../pipeline/schema/index.ts';

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  sentAt: number;
}

/** What one accepted API call did to a chargeback: the change record it must cause, as far as the API can tell. */
export interface ScenarioChange {
  event_type: EventType;
  /** The chargeback as the stream record's image holds it: the new state, or for a REMOVE the deleted one (API responses). */
  chargeback: Chargeback;
  /** The status before the call; null for a create. */
  previous_status: ChargebackStatus | null;
}

/** Per-scenario state: what the scenario did, so later steps can check what landed for it. */
export class ChargebackWorld extends World {
  response: ApiResponse | undefined;
  chargeback: Chargeback | undefined;
  /** Chargebacks written in this scenario, by role ("good", "poison"). */
  written: Record<string, Chargeback[]> = {};
  /** A unique marker (in the reason) for requests that were refused and so have no id. */
  marker = `scenario-${crypto.randomUUID()}`;
  /** The row the last "lands" step found, for steps that check its values. */
  lastLanded: ChangeRecord | undefined;
  /** The last change the scenario made through the API, for steps that check what it landed. */
  lastChange: ScenarioChange | undefined;

  constructor(options: IWorldOptions) {
    super(options);
  }
}

setWorldConstructor(ChargebackWorld);
