import { describe, expect, it } from 'vitest';
import { checkUrl } from '../../src/urlPolicy/checkUrl.js';
import type { UrlPolicy } from '../../src/urlPolicy/types.js';

describe('checkUrl: scheme, userinfo, hosts and ports', () => {
  it('accepts https to a public host on 443 by default', () => {
    expect(checkUrl('https://files.example.com/export/a.csv', {})).toEqual({ ok: true });
    expect(checkUrl(new URL('https://files.example.com:443/a'), {})).toEqual({ ok: true });
  });

  it('refuses plain http unless the profile allows it', () => {
    expect(checkUrl('http://files.example.com/a', {})).toMatchObject({ ok: false, reason: 'scheme' });
    expect(checkUrl('http://files.example.com/a', { allowHttp: true })).toEqual({ ok: true });
  });

  it.each(['ftp://files.example.com/a', 'file:///etc/passwd', 'gopher://files.example.com/', 'data:,hello'])(
    'refuses the scheme of %s',
    (url) => {
      expect(checkUrl(url, { allowHttp: true })).toMatchObject({ ok: false, reason: 'scheme' });
    },
  );

  it.each([
    'https://user@files.example.com/',
    'https://user:pass@files.example.com/',
    'https://:pass@files.example.com/',
  ])('refuses userinfo in %s', (url) => {
    expect(checkUrl(url, {})).toMatchObject({ ok: false, reason: 'userinfo' });
  });

  it('refuses strings that are not absolute URLs', () => {
    expect(checkUrl('/relative/path', {})).toMatchObject({ ok: false, reason: 'invalid_url' });
    expect(checkUrl('https://', {})).toMatchObject({ ok: false, reason: 'invalid_url' });
  });

  it('applies the host allowlist: exact names and subdomain wildcards, not the apex', () => {
    // Prepare
    const policy: UrlPolicy = { allowedHosts: ['downloads.acme.example', '*.acme-cdn.example'] };

    // Act / Assess
    expect(checkUrl('https://downloads.acme.example/a', policy)).toEqual({ ok: true });
    expect(checkUrl('https://DOWNLOADS.ACME.EXAMPLE./a', policy)).toEqual({ ok: true });
    expect(checkUrl('https://eu.acme-cdn.example/a', policy)).toEqual({ ok: true });
    expect(checkUrl('https://a.b.acme-cdn.example/a', policy)).toEqual({ ok: true });
    expect(checkUrl('https://acme-cdn.example/a', policy)).toMatchObject({ reason: 'host_not_allowed' });
    expect(checkUrl('https://evilacme-cdn.example/a', policy)).toMatchObject({ reason: 'host_not_allowed' });
    expect(checkUrl('https://acme.example/a', policy)).toMatchObject({ reason: 'host_not_allowed' });
    expect(checkUrl('https://downloads.acme.example.evil.example/a', policy)).toMatchObject({
      reason: 'host_not_allowed',
    });
  });

  it('compares internationalised names in their ASCII form', () => {
    const policy: UrlPolicy = { allowedHosts: ['*.bücher.example'] };
    expect(checkUrl('https://files.xn--bcher-kva.example/a', policy)).toEqual({ ok: true });
    expect(checkUrl('https://files.bücher.example/a', policy)).toEqual({ ok: true });
  });

  it('matches IP literals in the allowlist in any spelling, but never lets a private one through', () => {
    expect(checkUrl('https://134744072/a', { allowedHosts: ['8.8.8.8'] })).toEqual({ ok: true });
    expect(checkUrl('https://9.9.9.9/a', { allowedHosts: ['8.8.8.8'] })).toMatchObject({
      reason: 'host_not_allowed',
    });
    expect(checkUrl('https://10.0.0.1/a', { allowedHosts: ['10.0.0.1'] })).toMatchObject({
      reason: 'private_address',
    });
  });

  it('allows only the scheme default port unless allowedPorts says otherwise', () => {
    expect(checkUrl('https://files.example.com:8443/a', {})).toMatchObject({
      ok: false,
      reason: 'port_not_allowed',
    });
    expect(checkUrl('http://files.example.com:443/a', { allowHttp: true })).toMatchObject({
      reason: 'port_not_allowed',
    });
    expect(checkUrl('https://files.example.com:8443/a', { allowedPorts: [443, 8443] })).toEqual({ ok: true });
    expect(checkUrl('https://files.example.com/a', { allowedPorts: [8443] })).toMatchObject({
      reason: 'port_not_allowed',
    });
  });
});

describe('checkUrl: the loopback exception', () => {
  const policy: UrlPolicy = { loopbackException: { host: '127.0.0.1', port: 4010 } };

  it('allows exactly that address and port, over http, even with an allowlist', () => {
    expect(checkUrl('http://127.0.0.1:4010/files/a.csv', policy)).toEqual({ ok: true });
    expect(checkUrl('http://127.0.0.1:4010/a', { ...policy, allowedHosts: ['files.example.com'] })).toEqual({
      ok: true,
    });
  });

  it('allows nothing next to it: other ports, other loopback addresses, localhost, IPv6', () => {
    // The address is reported even over http: loopback is the worse problem.
    expect(checkUrl('http://127.0.0.1:4011/a', policy)).toMatchObject({
      reason: 'private_address',
      range: 'loopback',
    });
    expect(checkUrl('http://127.0.0.2:4010/a', policy)).toMatchObject({ reason: 'private_address' });
    expect(checkUrl('http://localhost:4010/a', policy)).toMatchObject({ reason: 'private_address' });
    expect(checkUrl('http://[::1]:4010/a', policy)).toMatchObject({ reason: 'private_address' });
    expect(checkUrl('http://127.0.0.1/a', policy)).toMatchObject({ reason: 'private_address' });
  });

  it('still refuses userinfo on the excepted origin', () => {
    expect(checkUrl('http://u:p@127.0.0.1:4010/a', policy)).toMatchObject({ reason: 'userinfo' });
  });

  it('works for ::1 too', () => {
    const v6: UrlPolicy = { loopbackException: { host: '::1', port: 4010 } };
    expect(checkUrl('http://[::1]:4010/a', v6)).toEqual({ ok: true });
    expect(checkUrl('https://127.0.0.1:4010/a', { ...v6, allowedPorts: [4010] })).toMatchObject({
      reason: 'private_address',
    });
    expect(checkUrl('http://[::1]:4011/a', v6)).toMatchObject({
      reason: 'private_address',
      range: 'loopback',
    });
  });
});
