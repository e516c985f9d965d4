import { randomUUID } from 'node:crypto';
import {
  ALLOWED_TRANSITIONS,
  ChargebackStatus,
  canTransition,
  validateCreateRequest,
  validateUpdateRequest,
  type Chargeback,
} from '../schema/index.ts';
import { ConcurrentChangeError, IllegalTransitionError, NotFoundError, ValidationError } from './errors.ts';
import type { ChargebackRepository } from './ChargebackRepository.ts';

/** The API's behaviour, independent of HTTP: each function takes parsed input and returns a chargeback. */
export class ChargebackRoutes {
  constructor(
    private readonly repo: ChargebackRepository,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = () => `cb_${randomUUID()}`,
  ) {}

  async create(body: unknown): Promise<Chargeback> {
    const v = validateCreateRequest(body);
    if (!v.ok) throw new ValidationError(v.errors);
    const at = this.now().toISOString();
    const cb: Chargeback = {
      chargeback_id: this.newId(),
      merchant_id: v.value.merchant_id,
      amount: v.value.amount,
      currency: v.value.currency,
      reason: v.value.reason,
      status: ChargebackStatus.RECEIVED,
      created_at: at,
      updated_at: at,
    };
    await this.repo.create(cb);
    return cb;
  }

  async get(id: string): Promise<Chargeback> {
    const cb = await this.repo.get(id);
    if (!cb) throw new NotFoundError(id);
    return cb;
  }

  async changeStatus(id: string, body: unknown): Promise<Chargeback> {
    const v = validateUpdateRequest(body);
    if (!v.ok) throw new ValidationError(v.errors);
    const current = await this.get(id);
    const to = v.value.status;
    if (!canTransition(current.status, to))
      throw new IllegalTransitionError(id, current.status, to, ALLOWED_TRANSITIONS[current.status]);
    const updated = await this.repo.updateStatus(id, current.status, to, this.now().toISOString());
    if (updated === false) throw new ConcurrentChangeError(id);
    return updated;
  }

  async delete(id: string): Promise<Chargeback> {
    const old = await this.repo.delete(id);
    if (!old) throw new NotFoundError(id);
    return old;
  }
}
