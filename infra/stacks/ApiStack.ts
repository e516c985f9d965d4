import path from 'node:path';
import type { App } from 'cdktf';
import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api/index.js';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration/index.js';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route/index.js';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { ChargebackStack, type StackContext } from './ChargebackStack.ts';
import type { FoundationStack } from './FoundationStack.ts';
import { NodeFunction } from '../constructs/NodeFunction.ts';
import { RetainedLogGroup } from '../constructs/RetainedLogGroup.ts';
import { checkovSkip } from '../security/checkovSkip.ts';

export interface ApiStackProps {
  foundation: FoundationStack;
  /** The API handler's entry; defaults to pipeline/api/handler.ts. */
  entry?: string;
}

/** The routes of pipeline/api; ANY so that the handler's own 405 answers reach the caller, as locally. */
export const API_ROUTES = ['ANY /chargebacks', 'ANY /chargebacks/{id}'] as const;

/**
 * Phase 2 of the seed: an HTTP API (payload v2) in front of the API Lambda, which reads and
 * writes only the chargebacks table.
 */
export class ApiStack extends ChargebackStack {
  readonly api: Apigatewayv2Api;
  readonly handler: NodeFunction;
  readonly url: string;

  constructor(scope: App, ctx: StackContext, props: ApiStackProps) {
    super(scope, ctx.names.stacks.api, ctx);
    this.addDependency(props.foundation);
    const { config, names } = ctx;
    const { table, dataKeyArn } = props.foundation;

    this.handler = new NodeFunction(this, 'api-handler', {
      functionName: names.functions.api,
      description: 'chargeback API (pipeline/api): POST/GET/PATCH/DELETE /chargebacks',
      entry: props.entry ?? path.join(ctx.repoRoot, 'pipeline/api/handler.ts'),
      buildDir: ctx.buildDir,
      runtime: config.api.runtime,
      memoryMb: config.api.memoryMb,
      timeoutSeconds: config.api.timeoutSeconds,
      environment: { TABLE_NAME: table.tableName, POWERTOOLS_SERVICE_NAME: 'chargeback-api' },
      logGroupName: names.logGroups.api,
      logRetentionDays: config.monitoring.logRetentionDays,
      kmsKeyArn: dataKeyArn,
      accountId: this.accountId,
      reservedConcurrency: config.api.reservedConcurrency,
      statements: [
        {
          Sid: 'ReadWriteChargebacks',
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:ConditionCheckItem',
          ],
          Resource: table.tableArn,
        },
        ...(table.kmsKeyArn
          ? [
              {
                Sid: 'UseTableKeyThroughDynamoDB',
                Effect: 'Allow' as const,
                Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
                Resource: table.kmsKeyArn,
                Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${config.region}.amazonaws.com` } },
              },
            ]
          : []),
      ],
    });
    checkovSkip(
      this.handler.fn,
      'CKV_AWS_117',
      'the API function only calls DynamoDB over its IAM-authenticated public endpoint; a VPC would add ENIs and a NAT or endpoint dependency without narrowing what it can reach',
    );
    checkovSkip(
      this.handler.fn,
      'CKV_AWS_116',
      'API Gateway invokes the function synchronously and returns its error to the caller; a dead-letter queue only applies to asynchronous invocations',
    );

    this.api = new Apigatewayv2Api(this, 'http-api', {
      name: names.httpApi,
      protocolType: 'HTTP',
      description: 'chargeback-cdc API (seed Phase 2)',
    });
    const integration = new Apigatewayv2Integration(this, 'lambda-integration', {
      apiId: this.api.id,
      integrationType: 'AWS_PROXY',
      integrationUri: this.handler.fn.invokeArn,
      payloadFormatVersion: '2.0',
      timeoutMilliseconds: Math.min(29_000, config.api.timeoutSeconds * 1000 + 1000),
    });
    API_ROUTES.forEach((routeKey, i) => {
      const route = new Apigatewayv2Route(this, `route-${i}`, {
        apiId: this.api.id,
        routeKey,
        target: `integrations/${integration.id}`,
        authorizationType: config.api.authorization,
      });
      if (config.api.authorization === 'NONE') {
        checkovSkip(
          route,
          'CKV_AWS_309',
          "the seed's API is open and the acceptance suite calls it with plain HTTP; set api.authorization to AWS_IAM to require SigV4 (throttling limits the open stage meanwhile)",
        );
      }
    });
    const accessLogs = new RetainedLogGroup(this, 'access-logs', {
      name: names.logGroups.apiAccess,
      retentionDays: config.monitoring.logRetentionDays,
      kmsKeyArn: dataKeyArn,
    });
    new Apigatewayv2Stage(this, 'default-stage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingBurstLimit: config.api.throttlingBurstLimit,
        throttlingRateLimit: config.api.throttlingRateLimit,
        detailedMetricsEnabled: true,
      },
      accessLogSettings: {
        destinationArn: accessLogs.logGroup.arn,
        format: JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          httpMethod: '$context.httpMethod',
          routeKey: '$context.routeKey',
          status: '$context.status',
          responseLength: '$context.responseLength',
          integrationError: '$context.integrationErrorMessage',
          latency: '$context.responseLatency',
        }),
      },
    });
    new LambdaPermission(this, 'invoke-from-api', {
      statementId: 'AllowHttpApiInvoke',
      action: 'lambda:InvokeFunction',
      functionName: this.handler.fn.functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${this.api.executionArn}/*/*`,
    });
    // The $default stage is served at the API's root: apiEndpoint has no trailing slash,
    // unlike the stage's invoke_url, so `${url}/chargebacks` is the route as written.
    this.url = this.api.apiEndpoint;
    this.output('api_gateway_url', this.url, 'Base URL of the chargeback API (POST {url}/chargebacks)');
    this.output('api_log_group_name', this.handler.logGroup.logGroup.name, 'Log group of the API Lambda');
  }
}
