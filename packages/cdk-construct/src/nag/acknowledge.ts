/** cdk-nag AwsSolutions findings acknowledged where they arise, each with its reason. */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges one AwsSolutions rule (or one finding of it, `Rule[Finding]`) on `scope` and below. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });
}

type CfnReference = string | { readonly [fn: string]: unknown };

/** cdk-nag's flat spelling of a resolved reference: `<LogicalId.Arn>`, `<LogicalId>`, joins concatenated. */
function flatten(node: CfnReference | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const join = node['Fn::Join'] as [string, CfnReference[]] | undefined;
  if (join !== undefined) return join[1].map(flatten).join(join[0]);
  const getAtt = node['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt !== undefined) return `<${getAtt[0]}.${getAtt[1]}>`;
  const ref = node.Ref as string | undefined;
  if (ref !== undefined) return `<${ref}>`;
  return JSON.stringify(node);
}

/** The finding id cdk-nag reports for a wildcard resource such as `${bucket.bucketArn}/prefix/*`. */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `IAM5[Resource::${flatten(Stack.of(scope).resolve(resource) as CfnReference)}]`;
}

/** Reasons shared by several constructs. */
export const REASONS = {
  xray:
    'X-Ray PutTraceSegments / PutTelemetryRecords support no resource-level permissions: ' +
    'Resource "*" is what AWS requires for active tracing.',
  objectPrefix:
    'Delivered objects are named <prefix><deliveryId>/<file> at run time; access is limited to the ' +
    'delivery prefix of this bucket, with explicit actions only.',
  runtime:
    'The handlers are bundled for and tested on Node.js 22 (nodejs22.x, supported by Lambda); the ' +
    'runtime moves together with the bundle target in a release, not on its own.',
} as const;
