import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Parses a Dockerfile into instructions: comments dropped, continuation lines joined. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of each stage, split at FROM. */
function stages(instructions: ReadonlyArray<Instruction>): Instruction[][] {
  const result: Instruction[][] = [];
  for (const i of instructions) {
    if (i.keyword === 'FROM') result.push([]);
    result.at(-1)?.push(i);
  }
  return result;
}

const dockerfile = parseDockerfile(await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8'));
const all = stages(dockerfile);
const runtime = all.at(-1) ?? [];
const find = (stage: ReadonlyArray<Instruction>, keyword: string) =>
  stage.filter((i) => i.keyword === keyword);

describe('Dockerfile', () => {
  it('is multi-stage and the runtime stage is based on node:22-slim', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(find(runtime, 'FROM')[0]?.args).toMatch(/^node:22-slim\b/);
  });

  it('runs as a non-root user set before the entrypoint', () => {
    const users = find(runtime, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]?.args).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.indexOf(users[0] as Instruction)).toBeLessThan(
      runtime.findIndex((i) => i.keyword === 'ENTRYPOINT'),
    );
  });

  it('starts node under tini (an init that forwards SIGTERM) and runs the built CLI', () => {
    const entrypoint = JSON.parse(find(runtime, 'ENTRYPOINT')[0]?.args ?? 'null') as string[] | null;
    expect(entrypoint).toEqual(['/usr/bin/tini', '--', 'node', '/app/dist/cli.js']);
    expect(find(runtime, 'RUN').some((r) => /apt-get install[^&]*\btini\b/.test(r.args))).toBe(true);
  });

  it('ships production dependencies only: a --prod deploy copied from the build stage', () => {
    const build = all.slice(0, -1).flat();
    expect(find(build, 'RUN').some((r) => /\bdeploy\b.*--prod\b/.test(r.args))).toBe(true);
    const copies = find(runtime, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.args).toMatch(/--from=build\b.*\s\/out\//);
    expect(find(runtime, 'ENV').some((e) => /NODE_ENV=production/.test(e.args))).toBe(true);
  });

  it('installs with the frozen lockfile', () => {
    expect(find(dockerfile, 'RUN').some((r) => /pnpm install --frozen-lockfile/.test(r.args))).toBe(true);
  });

  it('keeps node_modules, build output and git out of the build context', async () => {
    const ignore = (await readFile(new URL('../../Dockerfile.dockerignore', import.meta.url), 'utf8'))
      .split('\n')
      .map((l) => l.trim());
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
