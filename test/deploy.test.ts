/**
 * Deploy files stay consistent with the code: the compose layout matches the heygem-3gpu
 * preset (no Docker engine needed), and every metric the Grafana dashboard queries exists.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { heygemPreset } from '../src/config/load.js';
import { startTestGateway } from './helpers/gateway.js';

describe('deploy/docker-compose.yml', () => {
  const compose = parse(readFileSync('deploy/docker-compose.yml', 'utf8')) as { services: Record<string, { image: string; ports: string[]; volumes: string[]; deploy: { resources: { reservations: { devices: Array<{ device_ids: string[] }> } } } }> };
  it('runs one video and one TTS container per GPU in the preset layout', () => {
    const preset = heygemPreset(3, '${HOME}');
    for (const slot of preset) {
      const video = compose.services[`heygem-video-${slot.id}`];
      const tts = compose.services[`heygem-tts-${slot.id}`];
      expect(video.image).toBe('guiji2025/heygem.ai');
      expect(tts.image).toBe('guiji2025/fish-speech-ziming');
      expect(video.ports).toEqual([`127.0.0.1:${new URL(slot.video.url).port}:8383`]);
      expect(tts.ports).toEqual([`127.0.0.1:${new URL(slot.tts.url).port}:8080`]);
      expect(video.volumes).toEqual([`${slot.video.dataDir}:/code/data`]);
      expect(tts.volumes).toEqual([`${slot.tts.dataDir}:/code/data`]);
      expect(video.deploy.resources.reservations.devices[0].device_ids).toEqual([String(slot.id)]);
      expect(tts.deploy.resources.reservations.devices[0].device_ids).toEqual([String(slot.id)]);
    }
  });
});

describe('deploy/grafana-dashboard.json', () => {
  it('queries only metrics the gateway exposes', async () => {
    const dash = JSON.parse(readFileSync('deploy/grafana-dashboard.json', 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const used = new Set(dash.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/heygem_gateway_[a-z_]+/g) ?? [])));
    const t = await startTestGateway({}, { log: pino({ level: 'silent' }) });
    try {
      const exposed = new Set((await t.gw.metrics.registry.getMetricsAsJSON()).map((m) => m.name));
      const known = (name: string) => exposed.has(name) || exposed.has(name.replace(/_(bucket|sum|count)$/, ''));
      expect([...used].filter((n) => !known(n))).toEqual([]);
      expect(used.size).toBeGreaterThan(8);
    } finally {
      await t.close();
    }
  });
});
