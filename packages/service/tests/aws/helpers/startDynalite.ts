/** dynalite (a DynamoDB API server) on 127.0.0.1 with the delivery table the CDK construct defines. */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { TABLE_SCHEMA as KEYS } from '../../../src/adapters/aws/dynamodb/tableKeys.js';

/** Static credentials: dynalite checks that a signature is present, not what it signs with. */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** A running dynalite with a document client and a fresh table per call of `createTable`. */
export interface DynaliteHandle {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  createTable(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<DynaliteHandle> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    client,
    async createTable(name) {
      await raw.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: KEYS.partitionKey, AttributeType: 'S' },
            { AttributeName: KEYS.sortKey, AttributeType: 'S' },
            { AttributeName: KEYS.listIndexPartitionKey, AttributeType: 'S' },
            { AttributeName: KEYS.listIndexSortKey, AttributeType: 'S' },
            { AttributeName: KEYS.openIndexPartitionKey, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: KEYS.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: KEYS.listIndex,
              KeySchema: [
                { AttributeName: KEYS.listIndexPartitionKey, KeyType: 'HASH' },
                { AttributeName: KEYS.listIndexSortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
            {
              IndexName: KEYS.openIndex,
              KeySchema: [
                { AttributeName: KEYS.openIndexPartitionKey, KeyType: 'HASH' },
                { AttributeName: KEYS.openIndexSortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
    },
    async close() {
      raw.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error?: Error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
