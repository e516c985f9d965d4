import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { synth, resource, resources, ref, policyOf, statement } from '../test/synthFixture.ts';
import { API_ROUTES } from './ApiStack.ts';

describe('api stack (seed Phase 2)', () => {
  const s = synth();
  const a = s.api;
  const api = resource(a, 'aws_apigatewayv2_api');
  const fn = resource(a, 'aws_lambda_function');

  it('serves an HTTP API whose routes proxy to the API Lambda with payload v2', () => {
    assert.equal(api.protocol_type, 'HTTP');
    const integration = resource(a, 'aws_apigatewayv2_integration');
    assert.equal(integration.integration_type, 'AWS_PROXY');
    assert.equal(integration.payload_format_version, '2.0');
    assert.equal(integration.integration_uri, ref(a, 'aws_lambda_function', fn, 'invoke_arn'));
    const routes = resources(a, 'aws_apigatewayv2_route').map(([, r]) => r);
    assert.deepEqual(routes.map((r) => r.route_key).sort(), [...API_ROUTES].sort());
    for (const r of routes) assert.equal(r.target, `integrations/${ref(a, 'aws_apigatewayv2_integration', integration, 'id')}`);
  });

  it('auto-deploys a throttled $default stage with JSON access logs', () => {
    const stage = resource(a, 'aws_apigatewayv2_stage');
    assert.equal(stage.name, '$default');
    assert.equal(stage.auto_deploy, true);
    const settings = stage.default_route_settings as Record<string, number>;
    assert.equal(settings.throttling_burst_limit, 100);
    assert.equal(settings.throttling_rate_limit, 50);
    const logs = stage.access_log_settings as { destination_arn: string; format: string };
    assert.equal(
      logs.destination_arn,
      ref(a, 'aws_cloudwatch_log_group', resource(a, 'aws_cloudwatch_log_group', 'access-logs/group'), 'arn'),
    );
    assert.equal(JSON.parse(logs.format).status, '$context.status');
  });

  it('runs the pipeline/api bundle with TABLE_NAME, and lets API Gateway (only this API) invoke it', () => {
    assert.equal(fn.function_name, 'chargeback-cdc-dev-api');
    assert.equal(fn.runtime, 'nodejs22.x');
    assert.equal(fn.handler, 'index.handler');
    const env = (fn.environment as { variables: Record<string, string> }).variables;
    assert.match(env.TABLE_NAME!, /terraform_remote_state.*aws_dynamodb_table.*name/);
    const permission = resource(a, 'aws_lambda_permission');
    assert.equal(permission.principal, 'apigateway.amazonaws.com');
    assert.equal(permission.source_arn, `${ref(a, 'aws_apigatewayv2_api', api, 'execution_arn')}/*/*`);
  });

  it('lets the API Lambda read and write items of the chargebacks table, nothing else in DynamoDB', () => {
    const policy = policyOf(resource(a, 'aws_iam_role_policy'));
    const rw = statement(policy, 'ReadWriteChargebacks');
    assert.deepEqual(rw.Action, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:ConditionCheckItem',
    ]);
    assert.match(String(rw.Resource), /terraform_remote_state.*aws_dynamodb_table.*arn/);
    const dynamo = policy.Statement.flatMap((x) => x.Action).filter((x) => x.startsWith('dynamodb:'));
    assert.equal(dynamo.length, 5);
  });

  it('outputs api_gateway_url as the API endpoint, so `${url}/chargebacks` is the route', () => {
    assert.equal(a.output?.api_gateway_url?.value, ref(a, 'aws_apigatewayv2_api', api, 'api_endpoint'));
  });

  it('requires SigV4 on every route when api.authorization is AWS_IAM', () => {
    const iam = synth({ api: { authorization: 'AWS_IAM' } });
    const routes = resources(iam.api, 'aws_apigatewayv2_route').map(([, r]) => r);
    assert.ok(routes.every((r) => r.authorization_type === 'AWS_IAM'));
    assert.ok(
      routes.every((r) => !r['//']?.checkov),
      'no checkov skip left when the routes are authorized',
    );
  });
});
