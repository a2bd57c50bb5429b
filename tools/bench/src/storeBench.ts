/**
 * Delivery store benchmark: what one file's download costs the local store (SQLite) as the
 * delivery grows, against hand-written better-sqlite3 statements doing the same writes on the
 * same machine in the same run. Per delivery size (1,000 / 10,000 / 100,000 files by default),
 * BENCH_FILES files picked at random each go through a download's store work:
 *   getDeliveryFile → startFileAttempt(route) → updateFile(bytes so far) → updateFile(completed)
 * and, separately, the same work for windows of 16 files through `updateFiles` (one batch of
 * starts, one of outcomes). Peers, each with its own database file:
 *   - raw: the same reads and writes (file row, delivery counters) as prepared statements, one
 *     transaction per step, WAL, synchronous NORMAL, exclusive locking: the floor;
 *   - raw, list on the delivery row: the same, but the delivery row also carries the callback's
 *     file list as JSON and every step reads that row whole: the shape version 1 of the store had
 *     (its `callback_json`), to show what made per-file cost grow with the delivery.
 * Prints µs per file and the ratios, writes tools/bench/results/store.json. Targets: ours at the
 * largest size within 1.25× of ours at the smallest (cost flat in the file count).
 *
 *   pnpm nx run @downloader/service:build && tsx tools/bench/src/storeBench.ts
 *   BENCH_SIZES=1000,100000 BENCH_FILES=5000 BENCH_LIST_ON_ROW_FILES=100 tsx tools/bench/src/storeBench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FileSpec, type FileUpdate, SqliteDeliveryStore } from '@downloader/service';
import Database from 'better-sqlite3';
import { writeResults } from './lib/writeResults.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const FILES = Number(process.env.BENCH_FILES ?? 2000);
/** The list-on-row peer reads the whole list per step (tens of ms at 100,000 files): fewer files do. */
const LIST_ON_ROW_FILES = Number(process.env.BENCH_LIST_ON_ROW_FILES ?? 200);
const WINDOW = 16;
const TARGET_SCALING = 1.25;
const ID = 'bench-delivery-0000000000000000';
const SHA = 'ab'.repeat(32);

/** A fixed-seed shuffle: every contender works on the same files in the same order. */
function sample(size: number, count: number): number[] {
  const indices = Array.from({ length: size }, (_, i) => i);
  let seed = 42;
  for (let i = indices.length - 1; i > 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return indices.slice(0, Math.min(count, size));
}

function fileList(size: number): FileSpec[] {
  return Array.from({ length: size }, (_, i) => ({
    url: `http://127.0.0.1:8081/exports/2026/part-${String(i).padStart(6, '0')}.bin`,
    name: `exports/2026/part-${String(i).padStart(6, '0')}.bin`,
    size: 16_384,
  }));
}

async function timeIt(run: () => Promise<void> | void): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1000;
}

async function oursPerFile(dir: string, size: number, picks: readonly number[]): Promise<number> {
  const store = new SqliteDeliveryStore({ path: join(dir, `ours-${size}.sqlite`) });
  const now = new Date().toISOString();
  await store.create({ id: ID, providerId: 'demo', createdAt: now, expiresAt: now, files: fileList(size) });
  const micros = await timeIt(async () => {
    for (const index of picks) {
      await store.getDeliveryFile(ID, index);
      await store.startFileAttempt(ID, index, 'small');
      await store.updateFile(ID, index, { bytes: 8_192 });
      await store.updateFile(ID, index, { status: 'completed', bytes: 16_384, sha256: SHA });
    }
  });
  await store.close();
  return micros / picks.length;
}

async function oursBatchedPerFile(dir: string, size: number, picks: readonly number[]): Promise<number> {
  const store = new SqliteDeliveryStore({ path: join(dir, `batched-${size}.sqlite`) });
  const now = new Date().toISOString();
  await store.create({ id: ID, providerId: 'demo', createdAt: now, expiresAt: now, files: fileList(size) });
  const micros = await timeIt(async () => {
    for (let start = 0; start < picks.length; start += WINDOW) {
      const window = picks.slice(start, start + WINDOW);
      for (const index of window) await store.getDeliveryFile(ID, index);
      const starts: FileUpdate[] = window.map((index) => ({
        index,
        patch: { route: 'small' },
        addAttempt: true,
      }));
      await store.updateFiles(ID, starts);
      const outcomes: FileUpdate[] = window.map((index) => ({
        index,
        patch: { status: 'completed', bytes: 16_384, sha256: SHA },
      }));
      await store.updateFiles(ID, outcomes);
    }
  });
  await store.close();
  return micros / picks.length;
}

/** The floor: the same row reads and writes as plain prepared statements. */
function rawPerFile(
  dir: string,
  size: number,
  picks: readonly number[],
  listOnRow: boolean,
): Promise<number> {
  const db = new Database(join(dir, `raw-${listOnRow ? 'list' : 'plain'}-${size}.sqlite`));
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE deliveries (id TEXT PRIMARY KEY, status TEXT, updated_at TEXT, callback_json TEXT,
      pending INTEGER, downloading INTEGER, completed INTEGER, bytes_done INTEGER);
    CREATE TABLE files (delivery_id TEXT, idx INTEGER, name TEXT, source_url TEXT, size INTEGER, bytes INTEGER,
      sha256 TEXT, attempts INTEGER, status TEXT, route TEXT, PRIMARY KEY (delivery_id, idx));`);
  const list = fileList(size);
  db.transaction(() => {
    db.prepare('INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, 0, 0, 0)').run(
      ID,
      'downloading',
      '',
      listOnRow ? JSON.stringify({ source: { kind: 'files', files: list } }) : null,
      size,
    );
    const insert = db.prepare("INSERT INTO files VALUES (?, ?, ?, ?, ?, 0, NULL, 0, 'pending', NULL)");
    list.forEach((file, idx) => {
      insert.run(ID, idx, file.name, file.url, file.size);
    });
  })();
  const readDelivery = db.prepare(
    listOnRow
      ? 'SELECT * FROM deliveries WHERE id = ?'
      : 'SELECT id, status, updated_at, pending, downloading, completed, bytes_done FROM deliveries WHERE id = ?',
  );
  const readFile = db.prepare('SELECT * FROM files WHERE delivery_id = ? AND idx = ?');
  const start = db.prepare(
    "UPDATE files SET attempts = attempts + 1, status = 'downloading', route = 'small' WHERE delivery_id = ? AND idx = ?",
  );
  const progress = db.prepare('UPDATE files SET bytes = ? WHERE delivery_id = ? AND idx = ?');
  const finish = db.prepare(
    "UPDATE files SET status = 'completed', bytes = ?, sha256 = ? WHERE delivery_id = ? AND idx = ?",
  );
  const counters = db.prepare(
    'UPDATE deliveries SET updated_at = ?, pending = pending + ?, downloading = downloading + ?, completed = completed + ?, bytes_done = bytes_done + ? WHERE id = ?',
  );
  const step = (write: () => void) => db.transaction(write)();
  const micros = timeIt(() => {
    for (const index of picks) {
      readDelivery.get(ID);
      readFile.get(ID, index);
      step(() => {
        readDelivery.get(ID);
        start.run(ID, index);
        counters.run('t', -1, 1, 0, 0, ID);
      });
      step(() => {
        readDelivery.get(ID);
        progress.run(8_192, ID, index);
        counters.run('t', 0, 0, 0, 8_192, ID);
      });
      step(() => {
        readDelivery.get(ID);
        finish.run(16_384, SHA, ID, index);
        counters.run('t', 0, -1, 1, 8_192, ID);
      });
    }
  });
  return micros.then((total) => {
    db.close();
    return total / picks.length;
  });
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const dir = await mkdtemp(join(tmpdir(), 'store-bench-'));
  const rows: {
    files: number;
    sampled: number;
    oursUsPerFile: number;
    oursBatchedUsPerFile: number;
    rawUsPerFile: number;
    rawListOnRowUsPerFile: number;
    oursOverRaw: number;
  }[] = [];
  try {
    // Untimed warm-up of every contender, so the first size does not pay for the JIT.
    const warm = sample(1_000, 500);
    const warmDir = await mkdtemp(join(dir, 'warm-'));
    await oursPerFile(warmDir, 1_000, warm);
    await oursBatchedPerFile(warmDir, 1_000, warm);
    await rawPerFile(warmDir, 1_000, warm, false);
    await rawPerFile(warmDir, 1_000, warm, true);
    for (const size of SIZES) {
      const picks = sample(size, FILES);
      const ours = await oursPerFile(dir, size, picks);
      const batched = await oursBatchedPerFile(dir, size, picks);
      const raw = await rawPerFile(dir, size, picks, false);
      const listOnRow = await rawPerFile(dir, size, picks.slice(0, LIST_ON_ROW_FILES), true);
      rows.push({
        files: size,
        sampled: picks.length,
        oursUsPerFile: round(ours),
        oursBatchedUsPerFile: round(batched),
        rawUsPerFile: round(raw),
        rawListOnRowUsPerFile: round(listOnRow),
        oursOverRaw: round(ours / raw, 2),
      });
      console.log(
        `${String(size).padStart(7)} files: ours ${round(ours)} µs/file (batched ${round(batched)}), ` +
          `raw ${round(raw)}, raw with the list on the delivery row ${round(listOnRow)}; ours/raw ${round(ours / raw, 2)}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const first = rows[0];
  const last = rows.at(-1);
  const scaling =
    first !== undefined && last !== undefined ? round(last.oursUsPerFile / first.oursUsPerFile, 2) : 1;
  const listScaling =
    first !== undefined && last !== undefined
      ? round(last.rawListOnRowUsPerFile / first.rawListOnRowUsPerFile, 2)
      : 1;
  console.log(
    `ours at ${last?.files} files / at ${first?.files}: ${scaling} (target <= ${TARGET_SCALING}: ${scaling <= TARGET_SCALING ? 'met' : 'MISSED'}); ` +
      `list-on-row peer: ${listScaling}`,
  );
  const path = await writeResults('store', {
    what: 'µs of store work per file download: getDeliveryFile, startFileAttempt, progress, outcome',
    sampledFilesPerSize: FILES,
    sampledFilesListOnRowPeer: LIST_ON_ROW_FILES,
    window: WINDOW,
    loadAverage: { start: round(loadBefore, 2), end: round(loadavg()[0] ?? 0, 2) },
    sizes: rows,
    scaling: {
      ours: scaling,
      rawListOnRow: listScaling,
      target: TARGET_SCALING,
      met: scaling <= TARGET_SCALING,
    },
  });
  console.log(`results: ${path}`);
}

await main();
