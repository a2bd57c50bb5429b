/** X-Ray tracing of the AWS SDK clients (Powertools Tracer; inactive outside Lambda). */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { serviceName } from './powertools.js';

const tracer = new Tracer({ serviceName });

/** `client`, traced: each of its calls becomes an X-Ray subsegment of the invocation. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
