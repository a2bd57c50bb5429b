import { request as httpRequest } from 'node:http';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceResponses } from '../../src/http/coalesceResponses.js';
import { type RunningHttpServer, startHttpServer } from '../../src/http/startHttpServer.js';

/** Lets every queued microtask run, but not the check phase of this turn. */
async function drainMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

const nextCheckPhase = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('coalesceResponses', () => {
  it('holds responses that resolve in one turn until its check phase, then releases them together', async () => {
    const resolvers: ((response: Response) => void)[] = [];
    const fetch = coalesceResponses(
      (_request: Request, _env: unknown) =>
        new Promise<Response>((resolve) => {
          resolvers.push(resolve);
        }),
    );
    const released: number[] = [];
    const outer = [0, 1, 2].map((i) =>
      Promise.resolve(fetch(new Request(`http://x/${i}`), {})).then(() => released.push(i)),
    );

    for (const [i, resolve] of resolvers.entries()) resolve(new Response(String(i)));
    await drainMicrotasks();
    expect(released).toEqual([]);

    await nextCheckPhase();
    await drainMicrotasks();
    expect(released).toEqual([0, 1, 2]);
    await Promise.all(outer);
  });

  it('returns a synchronous response as it is, and passes a rejection through at once', async () => {
    const sync = new Response('now');
    expect(coalesceResponses(() => sync)(new Request('http://x/'), {})).toBe(sync);

    const failure = new Error('handler failed');
    const failing = coalesceResponses(() => Promise.reject(failure))(new Request('http://x/'), {});
    let seen: unknown;
    Promise.resolve(failing).catch((error: unknown) => {
      seen = error;
    });
    await drainMicrotasks();
    expect(seen).toBe(failure);
  });
});

describe('startHttpServer with coalesced responses', () => {
  let server: RunningHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('answers each of 40 concurrent requests on its own connection with its own response', async () => {
    const app = new Hono();
    app.get('/echo/:n', async (c) => {
      // Different handler durations, so responses resolve in different turns and orders.
      const n = Number(c.req.param('n'));
      if (n % 3 === 0) await new Promise((resolve) => setTimeout(resolve, n % 7));
      return c.json({ n });
    });
    server = await startHttpServer(app);
    const url = server.url;

    const answers = await Promise.all(
      Array.from(
        { length: 40 },
        (_, n) =>
          new Promise<{ status: number; body: string }>((resolve, reject) => {
            // A fresh connection per request: no keep-alive pool reordering anything.
            const req = httpRequest(`${url}/echo/${n}`, { agent: false }, (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                body += chunk;
              });
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            });
            req.on('error', reject);
            req.end();
          }),
      ),
    );

    expect(answers).toEqual(
      Array.from({ length: 40 }, (_, n) => ({ status: 200, body: JSON.stringify({ n }) })),
    );
  });
});
