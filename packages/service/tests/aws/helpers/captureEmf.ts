/** Captures the embedded-metric-format records (Powertools Metrics) written to stdout. */
import { vi } from 'vitest';

/** EMF records (`{"_aws": …}` lines) written to stdout while `body` runs; stdout still gets them. */
export async function emfDuring<T>(
  body: () => Promise<T>,
): Promise<{ result: T; records: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((
    chunk: string | Uint8Array,
    ...rest: unknown[]
  ) => {
    lines.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof process.stdout.write);
  try {
    const result = await body();
    const records = lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, records };
  } finally {
    spy.mockRestore();
  }
}
