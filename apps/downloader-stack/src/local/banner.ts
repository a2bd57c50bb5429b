/** What `start` prints once the service listens. */

/** Lines telling a newcomer where the dashboard is and how to register a delivery. */
export function banner(url: string, options: { readonly demoSecretGenerated: boolean }): string {
  const lines = [
    '',
    `  downloader is running at ${url}`,
    '',
    `  dashboard:   ${url}/`,
    `  health:      ${url}/healthz`,
    '',
    '  register a delivery with the built-in demo provider:',
    '',
    `    curl -s -X POST ${url}/deliveries \\`,
    `      -H 'content-type: application/json' \\`,
    `      -d '{"provider":"demo","label":"my first delivery"}'`,
    '',
    '  the answer holds the callbackUrl the provider calls when the files are ready.',
  ];
  if (options.demoSecretGenerated) {
    lines.push(
      '  the demo provider signs with DOWNLOADER_DEMO_SECRET (unset: a random one was made for this run).',
    );
  }
  lines.push('  `pnpm demo` runs a whole delivery end to end. Stop with Ctrl-C.', '');
  return lines.join('\n');
}
