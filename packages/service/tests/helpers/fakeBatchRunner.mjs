// A stand-in for the batch-runner CLI in runner tests: writes the file it is asked to, prints
// JSON log lines like the real one, reports what it saw, and exits with FAKE_EXIT_CODE.
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
// The service passes every value as `--flag=value`.
const flag = (name) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const body = Buffer.from(`bytes of ${flag('url')}`);
const exitCode = Number(process.env.FAKE_EXIT_CODE ?? '0');
console.log(
  JSON.stringify({
    event: 'start',
    args,
    secretSeen: process.env.SERVICE_SECRET ?? null,
    policy: process.env.DOWNLOADER_URL_POLICY ?? null,
  }),
);
console.log(JSON.stringify({ event: 'progress', bytes: body.length }));
if (exitCode === 0) writeFileSync(flag('to-file'), body);
process.exit(exitCode);
