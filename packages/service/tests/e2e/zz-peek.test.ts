import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { startE2e } from '/work/main/packages/service/tests/e2e/startE2eService.js';
it('peek', async () => {
  const e2e = await startE2e({ smallFiles: 2, smallFileBytes: 48 * 1024, largeFileBytes: 3 * 1024 * 1024 });
  const { id, callbackUrl } = await e2e.register();
  await e2e.provider.sendCallback(callbackUrl, e2e.secret);
  const d = await e2e.settle(id);
  console.log(JSON.stringify(d.files.map(f=>[f.name,f.attempts,f.status])));
  console.log(readFileSync(join(e2e.downloadsDir, id, '_delivery.json'), 'utf8').slice(0, 1500));
  console.log(JSON.stringify(e2e.provider.origin.stats.perRequest.map(r=>[r.method,r.url,r.status,r.range??'',r.completed])));
  await e2e.close();
});
