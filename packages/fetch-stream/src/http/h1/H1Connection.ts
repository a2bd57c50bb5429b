import net from 'node:net';
import tls from 'node:tls';
import {
  IncompleteBodyError,
  InternalError,
  NetworkError,
  ProtocolError,
  StaleConnectionError,
} from '../../errors.js';
import { BodyDecoder, framingOf } from './bodyDecoder.js';
import { findHeadEnd, MAX_HEAD_BYTES, parseResponseHead, type ResponseHead } from './responseHead.js';

/** Default size of a plain connection's reusable read buffer: one read takes at most this much. */
export const DEFAULT_READ_BUFFER_BYTES = 256 * 1024;

/** Where to connect: the address already resolved (and vetted), plus the name TLS checks. */
export interface ConnectTarget {
  readonly secure: boolean;
  readonly address: string;
  readonly port: number;
  /** Host name for SNI and certificate checks (TLS only; omitted for IP literals). */
  readonly servername: string | undefined;
}

/**
 * Receives body bytes. `view` is valid only until the call returns or, when it returns a
 * promise, until that promise settles: the connection reads nothing more meanwhile, so a
 * consumer copies or writes the bytes without them being overwritten.
 */
export type BodyConsumer = (view: Uint8Array) => undefined | Promise<void>;

/** Why reading a body stopped without an error. */
export type ReadOutcome = 'ended' | 'detached';

/** Told by the connection to its pool. */
export interface ConnectionHooks {
  /** Called once when the connection can serve another request. */
  readonly onReusable: (conn: H1Connection) => void;
  /** Called once when the connection closed. */
  readonly onClosed: (conn: H1Connection) => void;
}

const NO_HOOKS: ConnectionHooks = { onReusable: () => undefined, onClosed: () => undefined };

interface PendingInput {
  bytes: Uint8Array;
  start: number;
  end: number;
}

interface Reader {
  consume: BodyConsumer;
  resolve: (outcome: ReadOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * One HTTP/1.1 connection, one request at a time. Plain connections read into a single
 * reused buffer (no allocation per read, so memory stays flat however large the body), and
 * body bytes reach the consumer as views into it: nothing is copied on the way. TLS
 * connections use the socket's own chunks through the same parser.
 */
export class H1Connection {
  readonly socket: net.Socket;
  /** Requests answered on this connection so far. */
  uses = 0;
  private state: 'connecting' | 'idle' | 'head' | 'body' | 'closed' = 'connecting';
  private head = Buffer.allocUnsafe(0);
  private headLength = 0;
  private receivedAny = false;
  private decoder: BodyDecoder | undefined;
  private reusable = false;
  private pending: PendingInput | undefined;
  private reader: Reader | undefined;
  private waitingConsumer = false;
  private paused = false;
  private failure: unknown;
  private headWaiter:
    | { resolve: (r: { head: ResponseHead; ended: boolean }) => void; reject: (err: unknown) => void }
    | undefined;
  private connectWaiter: { resolve: () => void; reject: (err: unknown) => void } | undefined;

  /**
   * @param readBufferBytes - size of the plain-connection read buffer. Larger reads mean fewer
   *   system calls and callbacks per byte (a single fast connection gains most); the buffer
   *   holds that much memory for the connection's life.
   */
  constructor(
    readonly target: ConnectTarget,
    readBufferBytes: number = DEFAULT_READ_BUFFER_BYTES,
    private readonly hooks: ConnectionHooks = NO_HOOKS,
  ) {
    if (target.secure) {
      const socket = tls.connect({
        host: target.address,
        port: target.port,
        ALPNProtocols: ['http/1.1'],
        ...(target.servername !== undefined ? { servername: target.servername } : {}),
      });
      socket.on('data', (chunk: Buffer) => {
        this.onInput(chunk, 0, chunk.length);
      });
      socket.once('secureConnect', () => this.connected());
      this.socket = socket;
    } else {
      const buffer = Buffer.allocUnsafeSlow(readBufferBytes);
      this.socket = net.connect({
        host: target.address,
        port: target.port,
        onread: { buffer, callback: (n: number, buf: Uint8Array) => this.onInput(buf, 0, n) },
      });
      this.socket.once('connect', () => this.connected());
    }
    this.socket.setNoDelay(true);
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(this.closedError()));
  }

  /** True while connecting or serving (not idle, not closed). */
  get busy(): boolean {
    return this.state !== 'idle' && this.state !== 'closed';
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Resolves once connected (TLS: after the handshake). */
  ready(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(this.failure);
    if (this.state !== 'connecting') return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.connectWaiter = { resolve, reject };
    });
  }

  /** Sends a request head and resolves at the response head (1xx interim responses skipped). */
  request(requestHead: string): Promise<{ head: ResponseHead; ended: boolean }> {
    if (this.state !== 'idle')
      return Promise.reject(new InternalError(`request on a ${this.state} connection`));
    this.state = 'head';
    this.headLength = 0;
    this.receivedAny = false;
    this.decoder = undefined;
    this.uses++;
    const reused = this.uses > 1;
    return new Promise<{ head: ResponseHead; ended: boolean }>((resolve, reject) => {
      this.headWaiter = {
        resolve,
        reject: (err) => reject(reused && !this.receivedAny ? new StaleConnectionError(err) : err),
      };
      this.socket.write(requestHead, 'latin1');
      this.resumeSocket();
    });
  }

  /**
   * Delivers body bytes to `consume` until the body ends ('ended'), `detach()` is called
   * ('detached'), or an error (rejects). May be called again after a detach.
   */
  read(consume: BodyConsumer): Promise<ReadOutcome> {
    if (this.reader !== undefined) return Promise.reject(new InternalError('two readers of one body'));
    if (this.decoder?.done) return Promise.resolve('ended');
    if (this.state !== 'body')
      return Promise.reject(this.failure ?? new NetworkError('The connection is closed.'));
    return new Promise<ReadOutcome>((resolve, reject) => {
      this.reader = { consume, resolve, reject };
      this.pump();
    });
  }

  /** Stops delivering to the current reader (its `read` resolves 'detached'); bytes wait. */
  detach(): void {
    const r = this.reader;
    this.reader = undefined;
    r?.resolve('detached');
  }

  /** Closes the connection; a pending head or read rejects with `reason`. */
  destroy(reason: Error): void {
    this.fail(reason);
  }

  private connected(): void {
    if (this.state !== 'connecting') return;
    this.state = 'idle';
    const w = this.connectWaiter;
    this.connectWaiter = undefined;
    w?.resolve();
  }

  /**
   * Takes bytes from the socket. Returns false when reading must pause (the socket's reuse of
   * its buffer waits meanwhile, so pending input stays valid); always in step with `paused`.
   */
  private onInput(bytes: Uint8Array, start: number, end: number): boolean {
    if (end > start) this.receivedAny = true;
    try {
      if (this.state === 'head') {
        start = this.takeHead(bytes, start, end);
        if (!this.inBody()) return !this.paused;
      } else if (this.state !== 'body') {
        // Bytes nobody asked for (a server talking out of turn): the connection is unusable.
        if (end > start) this.fail(new ProtocolError('The server sent bytes outside of any response.'));
        return false;
      }
      if (start < end) this.pending = { bytes, start, end };
      this.pump();
    } catch (err) {
      this.fail(err);
      return false;
    }
    return !this.paused;
  }

  /** Accumulates head bytes; returns the index where the body starts. */
  private takeHead(bytes: Uint8Array, start: number, end: number): number {
    let at = start;
    while (this.state === 'head' && at < end) {
      const n = Math.min(end - at, MAX_HEAD_BYTES + 4 - this.headLength);
      if (this.head.length < this.headLength + n) {
        const grown = Buffer.allocUnsafe(
          Math.min(MAX_HEAD_BYTES + 4, Math.max(4096, (this.headLength + n) * 2)),
        );
        this.head.copy(grown, 0, 0, this.headLength);
        this.head = grown;
      }
      const before = this.headLength;
      this.head.set(bytes.subarray(at, at + n), before);
      this.headLength += n;
      const headEnd = findHeadEnd(this.head, this.headLength);
      if (headEnd < 0) {
        if (this.headLength > MAX_HEAD_BYTES) throw new ProtocolError('The response head is too large.');
        at += n;
        continue;
      }
      at += headEnd - before;
      const parsed = parseResponseHead(this.head.toString('latin1', 0, headEnd));
      this.headLength = 0;
      if (parsed.statusCode >= 100 && parsed.statusCode < 200) {
        if (parsed.statusCode === 101) throw new ProtocolError('The server switched protocols unasked.');
        continue;
      }
      this.beginBody(parsed);
    }
    return at;
  }

  /** A method, not a field test: `takeHead` changes the state behind the type checker's back. */
  private inBody(): boolean {
    return this.state === 'body';
  }

  private beginBody(parsed: ResponseHead): void {
    const te = parsed.headers['transfer-encoding'];
    const cl = parsed.headers['content-length'];
    this.decoder = new BodyDecoder(framingOf(parsed.statusCode, te, cl));
    const connection = String(parsed.headers.connection ?? '').toLowerCase();
    this.reusable =
      parsed.minorVersion === 1 &&
      !/(^|,)\s*close\s*(,|$)/.test(connection) &&
      this.decoder.framing.kind !== 'close' &&
      !(te !== undefined && cl !== undefined);
    this.state = 'body';
    const w = this.headWaiter;
    this.headWaiter = undefined;
    // A body-less response ends here; the connection may then serve another request at once.
    w?.resolve({ head: parsed, ended: this.decoder.done });
    if (this.decoder.done) this.finishBody(false);
  }

  /** Feeds pending input to the reader. Returns true when the socket may read on. */
  private pump(): boolean {
    for (;;) {
      const decoder = this.decoder;
      if (decoder === undefined || this.state !== 'body') return false;
      if (decoder.done) {
        this.finishBody(this.pending !== undefined && this.pending.start < this.pending.end);
        return false;
      }
      const p = this.pending;
      if (p === undefined) {
        if (this.reader === undefined) {
          this.pauseSocket();
          return false;
        }
        this.resumeSocket();
        return true;
      }
      const reader = this.reader;
      if (reader === undefined || this.waitingConsumer) {
        this.pauseSocket();
        return false;
      }
      let wait: Promise<void> | undefined;
      let stop: number;
      try {
        stop = decoder.feed(p.bytes, p.start, p.end, (s, e) => {
          const r = reader.consume(p.bytes.subarray(s, e));
          if (r !== undefined) wait = r;
          return wait === undefined && this.reader === reader;
        });
      } catch (err) {
        // The consumer's own error (or a malformed chunked body) ends this exchange.
        this.abortRead(reader, err);
        return false;
      }
      p.start = stop;
      if (p.start >= p.end) this.pending = undefined;
      if (wait !== undefined) {
        this.waitingConsumer = true;
        this.pauseSocket();
        wait.then(
          () => {
            this.waitingConsumer = false;
            this.pump();
          },
          (err: unknown) => {
            this.waitingConsumer = false;
            this.abortRead(reader, err);
          },
        );
        return false;
      }
    }
  }

  private abortRead(reader: Reader, err: unknown): void {
    if (this.reader === reader) this.reader = undefined;
    reader.reject(err);
    this.fail(err);
  }

  private finishBody(extraBytes: boolean): void {
    const reader = this.reader;
    this.reader = undefined;
    this.pending = undefined;
    if (this.reusable && !extraBytes && this.state === 'body') {
      this.state = 'idle';
      // Reading on while idle notices at once when the server closes the connection.
      this.resumeSocket();
      reader?.resolve('ended');
      this.hooks.onReusable(this);
    } else {
      reader?.resolve('ended');
      this.close();
    }
  }

  private onEnd(): void {
    if (this.state === 'body' && this.decoder !== undefined && this.decoder.endOfInput()) {
      this.reusable = false;
      if (this.pending === undefined) this.pump();
      return;
    }
    this.fail(this.closedError());
  }

  private fail(err: unknown): void {
    if (this.state === 'closed') return;
    // A body whose last byte arrived stays complete even if the socket then errors.
    const bodyDone = this.state === 'body' && this.decoder?.done === true;
    this.state = 'closed';
    this.failure = err;
    this.socket.destroy();
    const hw = this.headWaiter;
    this.headWaiter = undefined;
    hw?.reject(err);
    const cw = this.connectWaiter;
    this.connectWaiter = undefined;
    cw?.reject(err);
    const reader = this.reader;
    this.reader = undefined;
    if (reader !== undefined) {
      if (bodyDone) reader.resolve('ended');
      else reader.reject(err);
    }
    this.hooks.onClosed(this);
  }

  private close(): void {
    this.fail(new NetworkError('The connection was closed after its response.'));
  }

  /** Why a connection that closed by itself failed its waiters: a cut body, or a lost connection. */
  private closedError(): IncompleteBodyError | NetworkError {
    return this.state === 'body'
      ? new IncompleteBodyError('The connection closed before the body was complete.')
      : new NetworkError('The server closed the connection.');
  }

  private pauseSocket(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  private resumeSocket(): void {
    if (!this.paused) return;
    this.paused = false;
    this.socket.resume();
  }
}
