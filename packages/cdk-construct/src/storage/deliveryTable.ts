/** The DynamoDB table of deliveries, callback tokens and dedupe records. */

import { TABLE_SCHEMA } from '@downloader/service/dynamodb-keys';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { CallbackDownloaderProps } from '../CallbackDownloaderProps.js';
import { assertNotBoth } from '../errors.js';

/** Key names fixed by the service's DynamoDB delivery store: one definition, read from the service. */
export { TABLE_SCHEMA };

/** The table given in `existingTable`, or a new one. */
export function deliveryTable(scope: Construct, props: CallbackDownloaderProps): dynamodb.ITable {
  assertNotBoth('existingTable', props.existingTable, 'tableProps', props.tableProps);
  if (props.existingTable !== undefined) return props.existingTable;
  const table = new dynamodb.Table(scope, 'Table', {
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    ...props.tableProps,
    partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
  });
  table.addGlobalSecondaryIndex({
    indexName: TABLE_SCHEMA.listIndex,
    partitionKey: { name: TABLE_SCHEMA.listIndexPartitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TABLE_SCHEMA.listIndexSortKey, type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.ALL,
  });
  // Sparse and keys-only: it holds the deliveries not yet terminal, and file events (which
  // stamp the delivery item) never write to it.
  table.addGlobalSecondaryIndex({
    indexName: TABLE_SCHEMA.openIndex,
    partitionKey: { name: TABLE_SCHEMA.openIndexPartitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TABLE_SCHEMA.openIndexSortKey, type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.KEYS_ONLY,
  });
  return table;
}
