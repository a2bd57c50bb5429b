import { it } from 'vitest';
import { download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import { MiB, options } from './helpers/faultHarness.js';
const bench = useFaultOrigin('dbg');
it('dbg', async () => {
  const { name, output } = await bench.prepare('change', 1);
  const origin = bench.origin();
  const r = await download(origin.url(name, { mode: 'change', afterRequests: 1, cutAfterBytes: MiB }), options(1, output));
  console.log(JSON.stringify(r));
  for (const p of origin.stats.perRequest) console.log(JSON.stringify(p));
});
