/**
 * Output options of a task rendered by a remote runner (docs/output.md, docs/runners.md): the
 * runner uploads the render as it is, and the gateway runs the one output pass before the task
 * completes. Real CLI processes (gateway, runner), the protocol fakes, real ffmpeg.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { faceVideoWithAudio, ffprobeJson } from './helpers/fixtures.js';
import { waitFinal } from './helpers/gateway.js';
import { freePort } from './helpers/process.js';
import { gatewayConfig, runnerConfig, runnerToken, startGateway, startRunner, stopProcess } from './helpers/runners.js';
import { readFile } from 'node:fs/promises';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe('output options on a remote runner', () => {
  it('a 1:1 WebM rendered on a runner is finished on the gateway', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-runners-out-'));
    const farm = await startSimulatedFarm({ gpus: 1, baseDir: join(dir, 'farm'), host: '127.0.0.1', renderMs: 300, ttsMs: 50 });
    cleanups.push(() => farm.close());
    const port = await freePort();
    const gwDir = join(dir, 'gateway');
    const gateway = await startGateway(gatewayConfig(gwDir, port), port);
    cleanups.push(() => stopProcess(gateway, true));
    const runner = await startRunner(gateway.url, await runnerToken(join(gwDir, 'data'), 'gpu-a'), runnerConfig(join(dir, 'gpu-a'), [farm.slots[0]]));
    cleanups.push(() => stopProcess(runner, true));

    const form = new FormData();
    for (const [k, v] of Object.entries({ text: 'Rendered on a runner, shaped on the gateway.', aspect: '1:1', format: 'webm' })) form.set(k, v);
    form.set('video', new Blob([new Uint8Array(await readFile(await faceVideoWithAudio(2)))], { type: 'video/mp4' }), 'face.mp4');
    const r = (await (await fetch(`${gateway.url}/api/generate`, { method: 'POST', body: form })).json()) as Record<string, any>;
    const s = (await waitFinal(gateway.url, r.task_id, 240_000)) as Record<string, any>;
    expect(s.status, JSON.stringify(s.error)).toBe('completed');
    expect(s.result_url).toBe(`/outputs/${r.task_id}.webm`);
    expect(s.result.data.output).toMatchObject({ format: 'webm' });
    const p = await ffprobeJson(join(gwDir, 'data', 'outputs', `${r.task_id}.webm`));
    const v = p.streams.find((x) => x.codec_type === 'video') as unknown as Record<string, unknown>;
    expect(v.codec_name).toBe('vp9');
    expect(v.width).toBe(v.height);
    const dl = await fetch(`${gateway.url}/api/download/${r.task_id}`);
    expect([dl.status, dl.headers.get('content-type')]).toEqual([200, 'video/webm']);
    await dl.arrayBuffer();
  });
});
