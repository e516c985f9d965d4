import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { Chargeback, ChangeRecord } from '../../pipeline/schema/index.ts';

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  sentAt: number;
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

  constructor(options: IWorldOptions) {
    super(options);
  }
}

setWorldConstructor(ChargebackWorld);
