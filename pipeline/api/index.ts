/**
 * The chargeback API: an API Gateway HTTP API (v2) Lambda handler and its local HTTP adapter.
 *
 * @example
 * const server = await serveApiHandler(handler, { port: 3000 });
 */
export { handler, createApiHandler } from './handler.ts';
export { serveApiHandler, type ExtraRoute } from './httpAdapter.ts';
export { ChargebackRoutes } from './routes.ts';
export { ChargebackRepository, toItem, fromItem } from './ChargebackRepository.ts';
export * from './errors.ts';
