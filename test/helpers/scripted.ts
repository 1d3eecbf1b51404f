/** A gateway on loopback with in-process scripted engines (no containers): fast HTTP-level tests. */
import { mkdtempSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InertMedia, scriptedSlots, type Script } from '../doubles/scripted-engines.js';
import { FfmpegMedia } from '../../src/media/ffmpeg.adapter.js';
import type { GatewayOverrides } from '../../src/gateway.js';
import { SqliteApiKeys, type Scope } from '../../src/security/api-keys.js';
import { startTestGateway, type TestGateway } from './gateway.js';

export async function scriptedGateway(
  inline: Record<string, unknown> = {},
  opts: { slots?: number; script?: Partial<Script>; realMedia?: boolean; keys?: Record<string, Scope[]>; overrides?: GatewayOverrides } = {},
): Promise<{ t: TestGateway; tokens: Record<string, string> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-sec-'));
  const tokens: Record<string, string> = {};
  if (opts.keys) {
    const ks = new SqliteApiKeys(join(dataDir, 'gateway.db'));
    for (const [name, scopes] of Object.entries(opts.keys)) tokens[name] = (await ks.create(name, scopes)).token;
    await ks.close();
  }
  const engines = scriptedSlots(opts.slots ?? 1, { ttsMs: 5, renderMs: 5, ...opts.script }, { events: [] });
  // Real ffmpeg for uploads; the scripted renders are no real video, so their frames are the
  // scripted speech's (they are never cut to it).
  const media = opts.realMedia ? Object.assign(new FfmpegMedia({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }), { videoPackets: () => new InertMedia().videoPackets() }) : new InertMedia();
  const t = await startTestGateway(
    // InertMedia's files are not videos: only real media can be looked at for a face.
    // (nor are the scripted renders: the output check is off)
    { scheduler: { retryBaseDelayMs: 5 }, checks: { ...(opts.realMedia ? {} : { face: 'off' }), output: { enabled: false } }, ...inline },
    { slotEngines: engines, media, ...opts.overrides },
    dataDir,
  );
  return { t, tokens };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `scriptedGateway` for a test file whose gateways are all closed after each test. */
export function scriptedGatewaysClosedAfterEach(): typeof scriptedGateway {
  const open: TestGateway[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close().catch(() => undefined);
  });
  return async (...args) => {
    const r = await scriptedGateway(...args);
    open.push(r.t);
    return r;
  };
}
