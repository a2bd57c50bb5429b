import { InternalError, NetworkError } from '../../errors.js';
import { type ConnectTarget, DEFAULT_READ_BUFFER_BYTES, H1Connection } from './H1Connection.js';

interface Waiter {
  readonly key: string;
  readonly target: ConnectTarget;
  resolve: (conn: H1Connection) => void;
  reject: (err: unknown) => void;
}

/**
 * Keep-alive connections of one download, at most `maxPerHost` per host and port (busy and
 * idle together); further requests wait for one to come free, first come first served.
 */
export class ConnectionPool {
  private readonly idle = new Map<string, H1Connection[]>();
  private readonly open = new Map<string, number>();
  private readonly waiters: Waiter[] = [];
  private closed = false;

  /**
   * @param maxPerHost - open connections per host and port, busy and idle together.
   * @param readBufferBytes - read buffer of each plain connection (see `H1Connection`).
   */
  constructor(
    private readonly maxPerHost: number,
    private readonly readBufferBytes: number = DEFAULT_READ_BUFFER_BYTES,
  ) {}

  /**
   * A connection to `target`: an idle one if there is, a new one within the cap, otherwise
   * the next that comes free. `fresh` skips idle ones (after a stale keep-alive connection).
   */
  acquire(target: ConnectTarget, signal: AbortSignal, fresh = false): Promise<H1Connection> {
    if (this.closed) return Promise.reject(new InternalError('the connection pool is closed'));
    const key = keyOf(target);
    if (!fresh) {
      const conn = this.takeIdle(key);
      if (conn !== undefined) return Promise.resolve(conn);
    }
    const hostKey = hostKeyOf(target);
    if ((this.open.get(hostKey) ?? 0) < this.maxPerHost) return Promise.resolve(this.create(target));
    if (fresh) {
      // Make room by closing an idle connection to this host, if any.
      const victim = this.anyIdleOfHost(hostKey);
      if (victim !== undefined) {
        victim.destroy(new NetworkError('Closed to make room for another host.'));
        return Promise.resolve(this.create(target));
      }
    }
    return new Promise<H1Connection>((resolve, reject) => {
      const waiter: Waiter = { key, target, resolve, reject };
      this.waiters.push(waiter);
      signal.addEventListener(
        'abort',
        () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) {
            this.waiters.splice(i, 1);
            reject(signal.reason);
          }
        },
        { once: true },
      );
    });
  }

  /** Closes every connection; later `acquire` calls fail. */
  close(): void {
    this.closed = true;
    for (const list of this.idle.values())
      for (const c of [...list]) c.destroy(new NetworkError('The connection pool closed.'));
    this.idle.clear();
    for (const w of this.waiters.splice(0)) w.reject(new InternalError('the connection pool closed'));
  }

  private create(target: ConnectTarget): H1Connection {
    const hostKey = hostKeyOf(target);
    this.open.set(hostKey, (this.open.get(hostKey) ?? 0) + 1);
    return new H1Connection(target, this.readBufferBytes, {
      onReusable: (c) => this.release(c),
      onClosed: (c) => this.forget(c),
    });
  }

  private release(conn: H1Connection): void {
    const key = keyOf(conn.target);
    const i = this.waiters.findIndex((w) => w.key === key);
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      w?.resolve(conn);
      return;
    }
    if (this.closed) {
      conn.destroy(new NetworkError('The connection pool closed.'));
      return;
    }
    const list = this.idle.get(key) ?? [];
    list.push(conn);
    this.idle.set(key, list);
  }

  private forget(conn: H1Connection): void {
    const key = keyOf(conn.target);
    const list = this.idle.get(key);
    if (list !== undefined) {
      const i = list.indexOf(conn);
      if (i >= 0) list.splice(i, 1);
    }
    const hostKey = hostKeyOf(conn.target);
    this.open.set(hostKey, Math.max(0, (this.open.get(hostKey) ?? 1) - 1));
    // A slot came free: the first waiter for this host gets a new connection.
    const w = this.waiters.findIndex((x) => hostKeyOf(x.target) === hostKey);
    if (w >= 0 && !this.closed) {
      const [waiter] = this.waiters.splice(w, 1);
      waiter?.resolve(this.create(waiter.target));
    }
  }

  private takeIdle(key: string): H1Connection | undefined {
    const list = this.idle.get(key);
    while (list !== undefined && list.length > 0) {
      const conn = list.pop() as H1Connection;
      if (!conn.closed) return conn;
    }
    return undefined;
  }

  private anyIdleOfHost(hostKey: string): H1Connection | undefined {
    for (const list of this.idle.values()) {
      if (list.length > 0 && hostKeyOf((list[0] as H1Connection).target) === hostKey) return list[0];
    }
    return undefined;
  }
}

function keyOf(t: ConnectTarget): string {
  return `${t.secure ? 's' : 'p'}|${t.address}|${t.port}|${t.servername ?? ''}`;
}

function hostKeyOf(t: ConnectTarget): string {
  return `${t.servername ?? t.address}:${t.port}`;
}
