import { outputNameFor } from './outputName.js';

/** How long the name lookup may take before the URL's name is used. */
const HEAD_TIMEOUT_MS = 10_000;

/**
 * The file name for `-O`: asks the server (HEAD) for a Content-Disposition name, and falls back
 * to the URL's last path segment when it gives none or cannot be asked. Always sanitized.
 */
export async function remoteName(url: string, headers: Readonly<Record<string, string>>): Promise<string> {
  let disposition: string | null = null;
  try {
    const res = await fetch(url, {
      method: 'HEAD',
      headers,
      redirect: 'follow',
      signal: AbortSignal.timeout(HEAD_TIMEOUT_MS),
    });
    disposition = res.headers.get('content-disposition');
  } catch {
    // The download itself will report what is wrong with the server.
  }
  return outputNameFor(url, disposition);
}
