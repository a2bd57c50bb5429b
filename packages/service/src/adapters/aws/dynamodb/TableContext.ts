/** What every part of the DynamoDB store works with: the client, the table, the clock. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { deliveryPk, META } from './tableKeys.js';

/** The table a store works on. */
export interface TableContext {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  /** ISO-8601 time for `updatedAt`. */
  readonly stamp: () => string;
}

/** True when a conditional write was refused because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException'
  );
}

/** `IN (:p0, :p1, …)` placeholders and their values. */
export function inList(
  prefix: string,
  values: readonly string[],
): { expression: string; values: Record<string, string> } {
  const names = values.map((_, index) => `:${prefix}${index}`);
  return {
    expression: `(${names.join(', ')})`,
    values: Object.fromEntries(values.map((value, index) => [names[index] as string, value])),
  };
}

/** One strongly consistent point read. */
export async function getItem<T>(ctx: TableContext, pk: string, sk: string): Promise<T | undefined> {
  const result = await ctx.client.send(
    new GetCommand({ TableName: ctx.table, Key: { pk, sk }, ConsistentRead: true }),
  );
  return result.Item as T | undefined;
}

/** An update of the delivery item that does nothing (instead of creating one) when it is missing. */
export async function updateMetaIfExists(
  ctx: TableContext,
  id: string,
  update: {
    readonly expression: string;
    readonly names?: Record<string, string>;
    readonly values?: Record<string, unknown>;
  },
): Promise<void> {
  try {
    await ctx.client.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: deliveryPk(id), sk: META },
        UpdateExpression: update.expression,
        ConditionExpression: 'attribute_exists(pk)',
        ...(update.names === undefined ? {} : { ExpressionAttributeNames: update.names }),
        ...(update.values === undefined ? {} : { ExpressionAttributeValues: update.values }),
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Seconds since the epoch of an ISO-8601 time (DynamoDB TTL). */
export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** Idempotency, dedupe and callback records outlive the delivery's callback deadline by this much. */
export const RECORD_RETENTION_SECONDS = 30 * 86_400;
