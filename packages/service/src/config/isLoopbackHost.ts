/** Whether a bind address only accepts connections from this machine. */
import { isIP } from 'node:net';

/**
 * True for `localhost`, 127.0.0.0/8 and ::1 (also spelled `[::1]`); false for wildcards
 * (`0.0.0.0`, `::`), other addresses and host names, which other machines may reach.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}
