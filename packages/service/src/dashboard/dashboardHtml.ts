/** The `GET /` page: delivery summaries, and per-file progress of the deliveries opened, refreshed by polling. Plain HTML, CSS and JS. */
import { createHash } from 'node:crypto';
import { DASHBOARD_SCRIPT } from './dashboardScript.js';

const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f6f9; }
body { margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
#updated { color: #667; font-size: .85rem; }
.delivery { background: #fff; border: 1px solid #dde2ea; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
.delivery header { display: flex; gap: .75rem; align-items: baseline; flex-wrap: wrap; }
.title { font-size: 1.05rem; }
.meta, .id, .hint { color: #5a6475; font-size: .85rem; }
.id { margin-top: .25rem; font-family: ui-monospace, monospace; }
.badge { border-radius: 999px; padding: .1rem .6rem; font-size: .8rem; font-weight: 600; background: #e4e8ef; }
.badge.completed { background: #d8f3dc; color: #1b5e20; }
.badge.downloading, .badge.resolving { background: #dbeafe; color: #1e40af; }
.badge.partially_failed { background: #fff3cd; color: #7a5b00; }
.badge.failed, .badge.callback_timed_out { background: #fde2e1; color: #9b1c1c; }
table.files { width: 100%; border-collapse: collapse; margin-top: .75rem; font-size: .9rem; }
th { text-align: left; color: #5a6475; font-weight: 500; border-bottom: 1px solid #e4e8ef; padding: .3rem .4rem; }
td { padding: .3rem .4rem; border-bottom: 1px solid #f0f2f6; vertical-align: middle; }
td.name { font-family: ui-monospace, monospace; overflow-wrap: anywhere; min-width: 10rem; }
td.bytes, td.status { white-space: nowrap; }
td.progress { width: 32%; }
.bar { position: relative; height: 1.1rem; background: #e9edf3; border-radius: 4px; overflow: hidden; }
.bar .fill { height: 100%; background: #3b82f6; transition: width .4s; }
.bar.completed .fill { background: #22a06b; }
.bar.failed .fill { background: #e5484d; }
.bar .pct { position: absolute; inset: 0; text-align: center; font-size: .75rem; line-height: 1.1rem; }
.error { color: #b42318; font-weight: 500; }
.sha { color: #5a6475; }
.empty { color: #667; }
button.page { margin-top: .6rem; border: 1px solid #c9d1dd; background: #f7f9fc; border-radius: 6px; padding: .2rem .7rem; cursor: pointer; }
.pager { display: flex; gap: .75rem; align-items: baseline; }
td.index { color: #5a6475; width: 3rem; }
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Headers of the page: only its own inline script and style run (by hash), it talks only to
 * this origin, and no other site may frame it (clickjacking) or learn its URL from a referrer.
 */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'",
    `script-src ${sha256(DASHBOARD_SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
};

/** The whole dashboard page. */
export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>downloader — deliveries</title>
<style>${STYLE}</style>
</head>
<body>
<h1>downloader — deliveries</h1>
<div id="updated">loading…</div>
<main id="deliveries"></main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>`;
}
