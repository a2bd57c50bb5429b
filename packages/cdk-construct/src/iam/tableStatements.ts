/** Explicit DynamoDB permissions (no wildcard actions) on the delivery table and its index. */

import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TABLE_SCHEMA } from '../storage/deliveryTable.js';

function tableResources(table: dynamodb.ITable): string[] {
  return [
    table.tableArn,
    `${table.tableArn}/index/${TABLE_SCHEMA.listIndex}`,
    `${table.tableArn}/index/${TABLE_SCHEMA.openIndex}`,
  ];
}

/** Reads: items, queries (status index), batch reads. */
export function tableReadStatements(table: dynamodb.ITable): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
      resources: tableResources(table),
    }),
  ];
}

/** Reads plus conditional writes and transactions the delivery store performs. */
export function tableWriteStatements(table: dynamodb.ITable): iam.PolicyStatement[] {
  return [
    ...tableReadStatements(table),
    new iam.PolicyStatement({
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      resources: [table.tableArn],
    }),
  ];
}
