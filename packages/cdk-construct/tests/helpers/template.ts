/** Helpers for reading a synthesized template. */
import type { Template } from 'aws-cdk-lib/assertions';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every policy statement of every `AWS::IAM::Policy`, with the policy's logical id. */
export function policyStatements(template: Template): { policy: string; statement: Record<string, Json> }[] {
  const out: { policy: string; statement: Record<string, Json> }[] = [];
  for (const [policy, resource] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    const statements = resource.Properties.PolicyDocument.Statement as Record<string, Json>[];
    for (const statement of statements) out.push({ policy, statement });
  }
  return out;
}

/** Actions of a statement as a list. */
export function actionsOf(statement: Record<string, Json>): string[] {
  const action = statement.Action;
  return Array.isArray(action) ? (action as string[]) : [action as string];
}

/**
 * The template as JSON with every 64-hex asset hash replaced, so snapshots survive code changes.
 * The state machine definition is replaced too: it is the service's to change, and its ARN
 * substitution has its own test.
 */
export function maskAssetHashes(template: Template): Json {
  const json = template.toJSON() as {
    Resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
  };
  for (const resource of Object.values(json.Resources)) {
    if (resource.Type === 'AWS::StepFunctions::StateMachine') {
      resource.Properties.DefinitionString = '[DEFINITION: buildDeliveryStateMachine]';
    }
  }
  return JSON.parse(JSON.stringify(json).replace(/[0-9a-f]{64}/g, '[ASSET_HASH]')) as Json;
}

/** The state machine definition with every `Fn::GetAtt` / `Ref` replaced by `<LogicalId.Attr>`. */
export function flattenedDefinition(template: Template): Record<string, Json> {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const body = machine?.Properties.DefinitionString as Json;
  const flatten = (node: Json): string => {
    if (typeof node === 'string') return node;
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      if ('Fn::Join' in node) {
        const [sep, parts] = node['Fn::Join'] as [string, Json[]];
        return parts.map(flatten).join(sep);
      }
      if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
      if ('Ref' in node) return `<${String(node.Ref)}>`;
    }
    throw new Error(`unexpected definition node ${JSON.stringify(node)}`);
  };
  return JSON.parse(flatten(body)) as Record<string, Json>;
}
