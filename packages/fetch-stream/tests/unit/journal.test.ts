import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Journal, readJournal, removeJournal, writeJournalAtomic } from '../../src/sinks/journal.js';
import { tempDir } from '../helpers/tempDir.js';

const journal: Journal = {
  version: 1,
  url: 'http://127.0.0.1/x.bin',
  validators: { etag: '"abc"', size: 300 },
  total: 300,
  partSize: 100,
  parts: [
    [0, 123],
    [2, 456],
  ],
};

describe('journal', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('round-trips through an atomic write and leaves no temp file behind', async () => {
    const path = join(dir, 'f.part.json');
    await writeJournalAtomic(path, journal);
    expect(await readJournal(path)).toEqual(journal);
    expect(await readdir(dir)).toEqual(['f.part.json']);
  });

  it('replaces the previous journal as a whole', async () => {
    const path = join(dir, 'f.part.json');
    await writeJournalAtomic(path, journal);
    await writeJournalAtomic(path, { ...journal, parts: [[1, 9]] });
    expect(JSON.parse(await readFile(path, 'utf8')).parts).toEqual([[1, 9]]);
  });

  it('removing the journal also removes a temp file a killed writer left behind', async () => {
    const path = join(dir, 'f.part.json');
    await writeJournalAtomic(path, journal);
    await writeFile(join(dir, '.f.part.json.tmp'), '{"torn');

    await removeJournal(path);

    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['torn JSON', '{"version":1,"url":"x'],
    ['another version', JSON.stringify({ ...journal, version: 99 })],
    ['a bad part entry', JSON.stringify({ ...journal, parts: [[0, -1]] })],
    ['a zero part size', JSON.stringify({ ...journal, partSize: 0 })],
  ])('treats a %s journal as absent (start over)', async (_label, content) => {
    const path = join(dir, 'f.part.json');
    if (content !== undefined) await writeFile(path, content);
    expect(await readJournal(path)).toBeUndefined();
  });
});
