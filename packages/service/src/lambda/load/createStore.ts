/** DynamoDB delivery store of the entrypoints (loaded on first use: the SDK stays out of module init). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AWS_ENV, required } from '../../adapters/aws/awsSettings.js';
import { DynamoDbDeliveryStore } from '../../adapters/aws/dynamodb/DynamoDbDeliveryStore.js';
import { traced } from '../observability/traced.js';
import { endpoint } from './clientOptions.js';

export function createStore(env: Readonly<Record<string, string | undefined>>): DynamoDbDeliveryStore {
  const client = DynamoDBDocumentClient.from(
    traced(new DynamoDBClient({ ...endpoint(env, AWS_ENV.dynamodbEndpoint) })),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  return new DynamoDbDeliveryStore({ client, tableName: required(env, AWS_ENV.table) });
}
