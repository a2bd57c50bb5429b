import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './freePort.js';

/** Where Debian installs nginx. */
export const NGINX_BINARY = '/usr/sbin/nginx';

/** Options of {@link startNginx}. */
export interface NginxOptions {
  /** Directory served at `/`. */
  readonly root: string;
  /**
   * Per-connection rate limit (nginx `limit_rate` syntax, e.g. `'10m'`) applied under `/limited/`,
   * which serves the same files as `/`.
   * @default undefined (no `/limited/` location)
   */
  readonly limitRate?: string;
  /**
   * Run a master process with one worker instead of a single process.
   * @default false
   */
  readonly masterProcess?: boolean;
  /** nginx binary. @default '/usr/sbin/nginx' */
  readonly binary?: string;
  /** How long to wait for nginx to accept connections. @default 10000 */
  readonly startTimeoutMs?: number;
}

/** A running nginx. */
export interface NginxServer {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  /** The temp dir with the config, pid, logs and temp paths. */
  readonly prefix: string;
  /** Requests logged so far, oldest first (nginx writes a line when a response ends). */
  accessLog(): Promise<NginxLogEntry[]>;
  /** Stops nginx (SIGTERM, then SIGKILL) and removes its temp dir. */
  close(): Promise<void>;
}

/** One access-log line. Header fields are `undefined` when the request had no such header. */
export interface NginxLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Body bytes sent. */
  readonly bytes: number;
  readonly range?: string;
  readonly ifRange?: string;
  readonly acceptEncoding?: string;
}

/** nginx writes `-` for an absent header and escapes quotes, backslashes and control bytes as `\xHH`. */
function headerField(value: string | undefined): string | undefined {
  if (value === undefined || value === '-') return undefined;
  return value.replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

async function readAccessLog(prefix: string): Promise<NginxLogEntry[]> {
  const text = await readFile(join(prefix, 'access.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [method = '', path = '', status = '0', bytes = '0', range, ifRange, acceptEncoding] =
        line.split('\t');
      return {
        method,
        path,
        status: Number(status),
        bytes: Number(bytes),
        range: headerField(range),
        ifRange: headerField(ifRange),
        acceptEncoding: headerField(acceptEncoding),
      };
    });
}

/** nginx is missing or did not start. */
export class NginxStartError extends Error {
  readonly code: 'NGINX_NOT_INSTALLED' | 'NGINX_START_FAILED';
  constructor(code: NginxStartError['code'], message: string) {
    super(message);
    this.name = 'NginxStartError';
    this.code = code;
  }
}

function configFor(prefix: string, root: string, port: number, options: NginxOptions): string {
  const runsAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const limited = options.limitRate
    ? `    location /limited/ {\n      alias ${root}/;\n      limit_rate ${options.limitRate};\n    }\n`
    : '';
  return `daemon off;
master_process ${options.masterProcess ? 'on' : 'off'};
worker_processes 1;
${options.masterProcess && runsAsRoot ? 'user root root;\n' : ''}pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events {
  worker_connections 512;
}
http {
  log_format fault_origin '$request_method\t$uri\t$status\t$body_bytes_sent\t$http_range\t$http_if_range\t$http_accept_encoding';
  access_log ${prefix}/access.log fault_origin;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 30s;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / {
    }
${limited}  }
}
`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A test runner that dies without calling close() must not leave nginx behind. */
function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const proc of running) proc.kill('SIGKILL');
    });
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function startOnce(
  prefix: string,
  root: string,
  options: NginxOptions,
): Promise<NginxServer | undefined> {
  const binary = options.binary ?? NGINX_BINARY;
  const port = await freePort();
  const confPath = join(prefix, 'nginx.conf');
  await writeFile(confPath, configFor(prefix, root, port, options));
  const child = spawn(binary, ['-p', `${prefix}/`, '-e', join(prefix, 'error.log'), '-c', confPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  killOnExit(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await accepts(port)) {
      return {
        baseUrl: `http://127.0.0.1:${port}`,
        port,
        prefix,
        accessLog: () => readAccessLog(prefix),
        close: async () => {
          await stop(child);
          await rm(prefix, { recursive: true, force: true });
        },
      };
    }
    await sleep(25);
  }
  await stop(child);
  const log = await readFile(join(prefix, 'error.log'), 'utf8').catch(() => '');
  // Another process took the port between the probe and nginx's bind: the caller retries.
  if (/Address already in use/.test(log + stderr)) return undefined;
  throw new NginxStartError(
    'NGINX_START_FAILED',
    `nginx did not start on port ${port}: ${(log + stderr).trim()}`,
  );
}

/**
 * Starts the system nginx as a child process serving `root` on a free loopback port, with its
 * config, pid, logs and temp paths in a fresh temp dir, and resolves once it accepts connections.
 */
export async function startNginx(options: NginxOptions): Promise<NginxServer> {
  const binary = options.binary ?? NGINX_BINARY;
  if (!existsSync(binary)) {
    throw new NginxStartError(
      'NGINX_NOT_INSTALLED',
      `nginx is not installed (${binary} not found): run \`bash tools/scripts/install-system-deps.sh\``,
    );
  }
  const root = resolve(options.root);
  const prefix = await mkdtemp(join(tmpdir(), 'fault-origin-nginx-'));
  await mkdir(join(prefix, 'logs'));
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const server = await startOnce(prefix, root, options);
      if (server) return server;
    }
  } catch (error) {
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
  await rm(prefix, { recursive: true, force: true });
  throw new NginxStartError('NGINX_START_FAILED', 'nginx could not bind a free loopback port after 5 tries');
}
