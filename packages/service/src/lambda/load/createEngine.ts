/** Step Functions engine of the entrypoints (loaded on first use). */
import { SFNClient } from '@aws-sdk/client-sfn';
import { AWS_ENV, optional } from '../../adapters/aws/awsSettings.js';
import { StepFunctionsEngine } from '../../adapters/aws/sfn/StepFunctionsEngine.js';
import { traced } from '../observability/traced.js';
import { endpoint } from './clientOptions.js';

export function createEngine(env: Readonly<Record<string, string | undefined>>): StepFunctionsEngine {
  const stateMachineArn = optional(env, AWS_ENV.stateMachineArn);
  return new StepFunctionsEngine({
    client: traced(new SFNClient({ ...endpoint(env, AWS_ENV.sfnEndpoint) })),
    ...(stateMachineArn === undefined ? {} : { stateMachineArn }),
  });
}
