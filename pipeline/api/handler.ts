import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { awsClientConfigFromEnv } from '../aws/index.ts';
import { Service, stageMetrics, type CatalogueMetrics } from '../metrics/index.ts';
import { ApiError, MethodNotAllowedError, RouteNotFoundError, ValidationError } from './errors.ts';
import { errorResponse } from './errorResponse.ts';
import { parseJsonBody } from './parseBody.ts';
import { ChargebackRepository } from './ChargebackRepository.ts';
import { ChargebackRoutes } from './routes.ts';

const logger = new Logger({ serviceName: Service.API });

/**
 * API Gateway HTTP API (payload v2) handler:
 *   POST /chargebacks · GET /chargebacks/{id} · PATCH /chargebacks/{id} · DELETE /chargebacks/{id}
 * The same function runs in Lambda and, locally, behind `httpAdapter.ts` on 127.0.0.1:3000.
 * Every request is counted through Powertools Metrics (EMF in Lambda, the registry locally).
 */
export function createApiHandler(routes: ChargebackRoutes, metrics: CatalogueMetrics = stageMetrics(Service.API)) {
  const route = createRouter(routes);
  return async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const started = performance.now();
    const response = await route(event);
    const status = response.statusCode ?? 200;
    // Zeros are recorded too, so the error metrics have datapoints (and alarms data) whenever there is traffic.
    metrics
      .record('ApiRequests', 1)
      .record('ApiClientErrors', status >= 400 && status < 500 ? 1 : 0)
      .record('ApiServerErrors', status >= 500 ? 1 : 0)
      .record('ChargebacksCreated', status === 201 ? 1 : 0)
      .record('ApiLatency', performance.now() - started);
    metrics.publishStoredMetrics();
    return response;
  };
}

function createRouter(routes: ChargebackRoutes) {
  return async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath.replace(/\/+$/, '') || '/';
    try {
      if (path === '/chargebacks') {
        if (method === 'POST') return json(201, await routes.create(parseJsonBody(event)));
        throw new MethodNotAllowedError(method, 'POST');
      }
      const m = /^\/chargebacks\/([^/]+)$/.exec(path);
      if (m) {
        const id = chargebackIdOf(m[1]!);
        if (method === 'GET') return json(200, await routes.get(id));
        if (method === 'PATCH') return json(200, await routes.changeStatus(id, parseJsonBody(event)));
        if (method === 'DELETE') return json(200, await routes.delete(id));
        throw new MethodNotAllowedError(method, 'GET, PATCH, DELETE');
      }
      throw new RouteNotFoundError(method, path);
    } catch (e) {
      if (e instanceof ApiError) {
        return errorResponse(e);
      }
      logger.error('request failed', { method, path, error: e as Error });
      return json(500, { error: 'INTERNAL', message: 'internal error; see the API logs' });
    }
  };
}

/**
 * The `{id}` path segment, percent-decoded. Bad percent-encoding (`%E0%A4`, `%zz`) and ids longer
 * than any chargeback id are the request's problem (400), not a DynamoDB error (500).
 */
function chargebackIdOf(segment: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw new ValidationError([{ field: 'chargeback_id', problem: 'is not valid percent-encoded UTF-8 in the path' }]);
  }
  if (id.length > MAX_ID_LENGTH)
    throw new ValidationError([{ field: 'chargeback_id', problem: `must be at most ${MAX_ID_LENGTH} characters` }]);
  return id;
}

/** The schema's limit on chargeback_id; DynamoDB refuses keys over 2048 bytes, which would surface as a 500. */
const MAX_ID_LENGTH = 128;

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

let cached: ReturnType<typeof createApiHandler> | undefined;

/** Lambda entry point; the DynamoDB client is created once per execution environment. */
export const handler = (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  cached ??= createApiHandler(
    new ChargebackRoutes(
      new ChargebackRepository(new DynamoDBClient(awsClientConfigFromEnv()), process.env.TABLE_NAME ?? 'chargebacks'),
    ),
  );
  return cached(event);
};
