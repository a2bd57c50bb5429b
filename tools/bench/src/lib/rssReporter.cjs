// Preloaded into a benchmarked Node process (node --require): on exit, writes the process's
// peak resident set size in bytes to $BENCH_RSS_FILE. resourceUsage().maxRSS is in KiB.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const target = process.env.BENCH_RSS_FILE;
  if (target) writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
});
