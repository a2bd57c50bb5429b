/**
 * A loopback server speaking the AWS JSON protocol (`X-Amz-Target: Service.Operation`) for the
 * services the Lambda entrypoints call besides DynamoDB and S3: Step Functions and Secrets
 * Manager. Each operation is answered by a handler the test gives; every call is recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded call. */
export interface AwsJsonCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/** What a handler answers: a JSON body, or an AWS error (`__type`) with its HTTP status. */
export type AwsJsonAnswer =
  | { readonly body: Record<string, unknown> }
  | { readonly error: string; readonly status?: number };

export interface FakeAwsJsonApi {
  readonly endpoint: string;
  readonly calls: AwsJsonCall[];
  close(): Promise<void>;
}

export async function startFakeAwsJsonApi(
  handlers: Readonly<
    Record<string, (body: Record<string, unknown>) => AwsJsonAnswer | Promise<AwsJsonAnswer>>
  >,
): Promise<FakeAwsJsonApi> {
  const calls: AwsJsonCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ target, body });
      const handler = handlers[target];
      let answer: AwsJsonAnswer;
      try {
        answer = handler === undefined ? { error: 'UnknownOperationException' } : await handler(body);
      } catch (error) {
        answer = { error: 'InternalFailure', status: 500 };
        process.stderr.write(`fake AWS API: ${target} failed: ${String(error)}\n`);
      }
      const headers = { 'content-type': 'application/x-amz-json-1.0' };
      if ('error' in answer) {
        res.writeHead(answer.status ?? 400, headers);
        res.end(JSON.stringify({ __type: answer.error, message: answer.error }));
      } else {
        res.writeHead(200, headers);
        res.end(JSON.stringify(answer.body));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
