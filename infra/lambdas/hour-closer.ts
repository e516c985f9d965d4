/**
 * Entry of the hour closer function: one closing pass of pipeline/completeness per invocation
 * (what `chargeback-cdc close-hours` does), exported as `handler` so that it bundles like every
 * other function.
 */
export { handler } from '../../pipeline/completeness/scheduledHandler.ts';
