/**
 * Entry of the consolidation check function: the deadline check of pipeline/consolidation's
 * scheduled handler, exported as `handler` so that it bundles like every other function.
 */
export { checkHandler as handler } from '../../pipeline/consolidation/scheduledHandler.ts';
