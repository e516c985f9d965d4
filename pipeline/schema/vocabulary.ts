/** Fixed vocabularies shared by every stage. `as const` objects with derived types, so a typo is a type error. */

export const EventType = { INSERT: 'INSERT', MODIFY: 'MODIFY', REMOVE: 'REMOVE' } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];
export const EVENT_TYPES = Object.values(EventType);

export const ChargebackStatus = {
  RECEIVED: 'RECEIVED',
  UNDER_REVIEW: 'UNDER_REVIEW',
  REPRESENTED: 'REPRESENTED',
  WON: 'WON',
  LOST: 'LOST',
  ACCEPTED: 'ACCEPTED',
} as const;
export type ChargebackStatus = (typeof ChargebackStatus)[keyof typeof ChargebackStatus];
export const CHARGEBACK_STATUSES = Object.values(ChargebackStatus);

/**
 * The dispute lifecycle: RECEIVED → UNDER_REVIEW → REPRESENTED → WON | LOST,
 * or the merchant ACCEPTS the chargeback while it is still RECEIVED or UNDER_REVIEW.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<ChargebackStatus, readonly ChargebackStatus[]>> = {
  RECEIVED: ['UNDER_REVIEW', 'ACCEPTED'],
  UNDER_REVIEW: ['REPRESENTED', 'ACCEPTED'],
  REPRESENTED: ['WON', 'LOST'],
  WON: [],
  LOST: [],
  ACCEPTED: [],
};

export function canTransition(from: ChargebackStatus, to: ChargebackStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** The change-record schema version this code writes and the only one readers accept. */
export const SCHEMA_VERSION = 1;
