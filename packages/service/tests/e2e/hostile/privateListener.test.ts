/**
 * Findings 5 and 8 of issue #12: the private listener answers only its own names (no DNS
 * rebinding), callback URLs never come from a request header, a non-loopback bind needs an API
 * token, and the dashboard is served with security headers.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/ConfigError.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { type HostileService, startHostileService } from './startHostileService.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request with exactly these headers (a `Host` of our choosing, as a rebound page sends). */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, setHost: headers.host === undefined }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const REGISTRATION = JSON.stringify({ provider: 'hostile' });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('the private listener on loopback (issue #12, findings 5 and 8)', () => {
  let h: HostileService;
  beforeAll(async () => {
    h = await startHostileService();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses with 421 a request whose Host is another site (DNS rebinding), answers its own names', async () => {
    const port = new URL(h.service.url).port;
    const url = `${h.service.url}/deliveries`;

    const rebound = await send(url, 'GET', { host: `attacker.example:${port}` });
    const registerRebound = await send(
      url,
      'POST',
      { host: `attacker.example:${port}`, ...JSON_TYPE },
      REGISTRATION,
    );
    const byAddress = await send(url, 'GET', { host: `127.0.0.1:${port}` });
    const byName = await send(url, 'GET', { host: `localhost:${port}` });

    expect([rebound.status, registerRebound.status]).toEqual([421, 421]);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'host_not_allowed' } });
    expect([byAddress.status, byName.status]).toEqual([200, 200]);
  });

  it('builds the callback URL from the bind address, never from the request Host header', async () => {
    const port = new URL(h.service.url).port;

    const answer = await send(
      `${h.service.url}/deliveries`,
      'POST',
      { host: `localhost:${port}`, ...JSON_TYPE },
      REGISTRATION,
    );

    expect(answer.status).toBe(201);
    expect(
      (JSON.parse(answer.body) as { callbackUrl: string }).callbackUrl.startsWith(
        `${h.service.url}/callbacks/`,
      ),
    ).toBe(true);
  });

  it('serves the dashboard with a CSP (no framing), nosniff and no referrer; API answers with nosniff', async () => {
    const page = await send(`${h.service.url}/`, 'GET', {});
    const api = await send(`${h.service.url}/deliveries`, 'GET', {});

    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('a bind other machines can reach (issue #12, finding 5)', () => {
  it('refuses to start without DOWNLOADER_API_TOKEN, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ cwd: '/', env: { HOST: '0.0.0.0' }, config: { demoProvider: { enabled: false } } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toContain('DOWNLOADER_API_TOKEN');
  });

  it('with a token: registration, reads and lists need the bearer token; callbacks, /healthz and the page do not', async () => {
    const token = 'a-long-random-api-token-for-tests-0123456789';
    const h = await startHostileService({ env: { HOST: '0.0.0.0', DOWNLOADER_API_TOKEN: token } });
    try {
      const port = new URL(h.service.url).port;
      const base = `http://127.0.0.1:${port}`;
      const bearer = { authorization: `Bearer ${token}` };

      const anonymousList = await send(`${base}/deliveries`, 'GET', {});
      const anonymousRegister = await send(`${base}/deliveries`, 'POST', JSON_TYPE, REGISTRATION);
      const wrongToken = await send(`${base}/deliveries`, 'GET', { authorization: 'Bearer nope' });
      const registered = await send(`${base}/deliveries`, 'POST', { ...JSON_TYPE, ...bearer }, REGISTRATION);
      const { id } = JSON.parse(registered.body) as { id: string };
      const anonymousRead = await send(`${base}/deliveries/${id}`, 'GET', {});
      const read = await send(`${base}/deliveries/${id}`, 'GET', bearer);
      const health = await send(`${base}/healthz`, 'GET', {});
      const page = await send(`${base}/`, 'GET', {});
      const callback = await send(`${base}/callbacks/${id}x`, 'POST', JSON_TYPE, '{"files":[]}');

      expect([
        anonymousList.status,
        anonymousRegister.status,
        wrongToken.status,
        anonymousRead.status,
      ]).toEqual([401, 401, 401, 401]);
      expect(anonymousList.headers['www-authenticate']).toBe('Bearer');
      expect([registered.status, read.status, health.status, page.status]).toEqual([201, 200, 200, 200]);
      // Reaches the callback route (unknown delivery), not the token check.
      expect(callback.status).toBe(404);
    } finally {
      await h.close();
    }
  });
});
