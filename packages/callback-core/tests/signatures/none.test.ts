import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { signatureSchemeConfigSchema } from '../../src/signatures/schemas.js';
import type { NoneSchemeConfig } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { NOW } from '../helpers/signatureRequests.js';

describe('scheme "none"', () => {
  it('accepts an unsigned request when the config requires a capability URL', async () => {
    const result = await verifySignature(
      { scheme: 'none', requireCapabilityUrl: true },
      { headers: {}, body: Buffer.from('{}'), now: NOW },
    );
    expect(result).toEqual({ ok: true, scheme: 'none' });
  });

  it('fails closed for a config built without the schema that does not require a capability URL', async () => {
    const unsafe = JSON.parse('{"scheme":"none","requireCapabilityUrl":false}') as NoneSchemeConfig;
    const result = await verifySignature(unsafe, { headers: {}, body: Buffer.from('{}'), now: NOW });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('is refused by the schema without requireCapabilityUrl: true', () => {
    for (const input of [{ scheme: 'none' }, { scheme: 'none', requireCapabilityUrl: false }]) {
      const parsed = v.safeParse(signatureSchemeConfigSchema, input);
      expect(parsed.success).toBe(false);
    }
  });
});
