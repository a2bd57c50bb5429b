/**
 * The state machine definition of a synthesized template with its references replaced by
 * syntactically valid ARNs, so an engine validating ARNs accepts it (the Tasks are overridden).
 */
import type { Template } from 'aws-cdk-lib/assertions';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

function arnFor(logicalId: string, attribute: string | undefined): string {
  if (logicalId.includes('JobQueue')) return `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/${logicalId}`;
  if (logicalId.includes('JobDefinition'))
    return `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/${logicalId}:1`;
  if (attribute === 'Arn') return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
  throw new Error(`no ARN rule for ${logicalId}.${attribute ?? 'Ref'}`);
}

/** Parsed definition, exactly as deployed except for the substituted ARNs. */
export function resolvedDefinition(template: Template): { [key: string]: Json } {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const resolve = (node: Json): string => {
    if (typeof node === 'string') return node;
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      if ('Fn::Join' in node) {
        const [separator, parts] = node['Fn::Join'] as [string, Json[]];
        return parts.map(resolve).join(separator);
      }
      if ('Fn::GetAtt' in node) {
        const [logicalId, attribute] = node['Fn::GetAtt'] as [string, string];
        return arnFor(logicalId, attribute);
      }
      if ('Ref' in node) return arnFor(String(node.Ref), undefined);
    }
    throw new Error(`unexpected definition node ${JSON.stringify(node)}`);
  };
  return JSON.parse(resolve(machine?.Properties.DefinitionString as Json)) as { [key: string]: Json };
}
