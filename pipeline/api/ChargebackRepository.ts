import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Chargeback, ChargebackStatus } from '../schema/index.ts';

/**
 * DynamoDB access for chargebacks. Amounts are written as N from their decimal text (DynamoDB
 * numbers are exact to 38 digits) and read back with wrapNumbers, so no float ever appears.
 */
export class ChargebackRepository {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * PutItem with attribute_not_exists: a create is exactly one INSERT stream record. (UpdateItem
   * on a missing key would work in AWS but emits two records in moto — DESIGN §10.)
   */
  async create(cb: Chargeback): Promise<void> {
    await this.ddb.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem(cb),
        ConditionExpression: 'attribute_not_exists(chargeback_id)',
      }),
    );
  }

  async get(id: string): Promise<Chargeback | undefined> {
    const r = await this.ddb.send(
      new GetItemCommand({ TableName: this.tableName, Key: { chargeback_id: { S: id } }, ConsistentRead: true }),
    );
    return r.Item ? fromItem(r.Item) : undefined;
  }

  /** Optimistic concurrency: only moves the status if it is still `from`. Returns false when it was not. */
  async updateStatus(id: string, from: ChargebackStatus, to: ChargebackStatus, updatedAt: string): Promise<Chargeback | false> {
    try {
      const r = await this.ddb.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { chargeback_id: { S: id } },
          UpdateExpression: 'SET #s = :to, updated_at = :now',
          ConditionExpression: 'attribute_exists(chargeback_id) AND #s = :from',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':to': { S: to }, ':from': { S: from }, ':now': { S: updatedAt } },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(r.Attributes!);
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async delete(id: string): Promise<Chargeback | undefined> {
    const r = await this.ddb.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: { chargeback_id: { S: id } }, ReturnValues: 'ALL_OLD' }),
    );
    return r.Attributes ? fromItem(r.Attributes) : undefined;
  }
}

export function toItem(cb: Chargeback): Record<string, AttributeValue> {
  return {
    chargeback_id: { S: cb.chargeback_id },
    merchant_id: { S: cb.merchant_id },
    amount: { N: cb.amount },
    currency: { S: cb.currency },
    reason: { S: cb.reason },
    status: { S: cb.status },
    created_at: { S: cb.created_at },
    updated_at: { S: cb.updated_at },
  };
}

export function fromItem(item: Record<string, AttributeValue>): Chargeback {
  const plain = unmarshall(item, { wrapNumbers: true }) as Record<string, unknown>;
  const amount = plain.amount as { value: string } | undefined;
  return { ...(plain as unknown as Chargeback), amount: amount?.value ?? '' };
}
