import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign, signatureHeader, verifySignature } from './signer.js';

describe('webhook signatures', () => {
  const body = '{"event_id":"evt_1","status":"completed"}';

  it('is HMAC-SHA256 over timestamp.body, hex', () => {
    expect(sign('s3cret', 1700000000, body)).toBe(createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex'));
  });

  it('verifies with either secret during a rotation, refuses other secrets, changed bodies and stale timestamps', () => {
    const h = signatureHeader(['new-secret', 'old-secret'], 1700000000, body);
    expect(h.split(',').map((p) => p.split('=')[0])).toEqual(['t', 'v1', 'v1']);
    expect(verifySignature(h, body, 'new-secret', 1700000010)).toBe(true);
    expect(verifySignature(h, body, 'old-secret', 1700000010)).toBe(true);
    expect(verifySignature(h, body, 'other', 1700000010)).toBe(false);
    expect(verifySignature(h, body.replace('completed', 'failed'), 'new-secret', 1700000010)).toBe(false);
    expect(verifySignature(h, body, 'new-secret', 1700000000 + 301)).toBe(false);
    expect(verifySignature('v1=abc', body, 'new-secret', 1700000000)).toBe(false);
  });
});
