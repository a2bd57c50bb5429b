/** cdk-nag AwsSolutions findings acknowledged where they arise, each with its reason. */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';

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

/**
 * Acknowledges the AwsSolutions-IAM5 finding of one wildcard `resource` on the principal a grant
 * went to, when that principal is a construct of the app (an imported role has no findings).
 */
export function acknowledgeOnGrantee(grantee: iam.IGrantable, resource: string, reason: string): void {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) return;
  acknowledge(principal, wildcardResourceFinding(principal, resource), reason);
}

/** Reasons shared by several constructs. */
export const REASONS = {
  xray:
    'X-Ray PutTraceSegments / PutTelemetryRecords support no resource-level permissions: ' +
    'Resource "*" is what AWS requires for active tracing.',
  objectPrefix:
    'Delivered objects are named <prefix><deliveryId>/<file> at run time; access is limited to the ' +
    'delivery prefix of this bucket, with explicit actions only.',
  deliveryPath:
    'GET /deliveries/{id} (and its /files) takes the delivery id as a path parameter, known only at ' +
    'run time: /deliveries/* on this API and stage is the narrowest resource IAM can name.',
  runtime:
    'The handlers are bundled for and tested on Node.js 22 (nodejs22.x, supported by Lambda); the ' +
    'runtime moves together with the bundle target in a release, not on its own.',
} as const;
