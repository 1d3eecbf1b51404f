/**
 * Deploy files stay true to the code and to HeyGem's containers, checked as far as a machine
 * without a Docker engine allows: the compose file validates against the Compose Specification
 * schema (test/fixtures/compose-spec.json) and matches the heygem-3gpu preset and the containers'
 * real settings; the gateway's compose config loads and sees every container's data dir; the
 * Dockerfile is checked structurally; the systemd unit runs the build with a writable data dir;
 * every metric the Grafana dashboard queries exists.
 */
import { Ajv } from 'ajv';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { posix, resolve } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { heygemPreset, loadConfig } from '../src/config/load.js';
import { startTestGateway } from './helpers/gateway.js';
import { freePort } from './helpers/process.js';

const run = promisify(execFile);
const GPUS = [0, 1, 2];
const DATA = '${HEYGEM_DATA:-./heygem_data}';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  runtime?: string;
  privileged?: boolean;
  shm_size?: string;
  restart?: string;
  command?: string | string[];
  entrypoint?: string[];
  user?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period: string };
  depends_on?: Record<string, { condition: string }>;
  working_dir?: string;
  deploy?: { resources: { reservations: { devices: Array<{ driver: string; device_ids: string[]; capabilities: string[] }> } } };
}

const composeText = readFileSync('deploy/docker-compose.yml', 'utf8');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const svc = (name: string) => {
  const s = compose.services[name];
  if (!s) throw new Error(`no service ${name}`);
  return s;
};

/** "host:container" bind mounts of a service, host side as written (variables unexpanded). */
const mounts = (s: Service) =>
  (s.volumes ?? []).map((v) => {
    const m = /^((?:\$\{[^}]*\}|[^:])+):([^:]+)(?::(ro|rw))?$/.exec(v); // ${VAR:-default} holds a colon
    if (!m) throw new Error(`unparsable volume "${v}"`);
    return { host: m[1], inside: m[2] };
  });

describe('deploy/docker-compose.yml', () => {
  it('is a valid Compose file (Compose Specification schema)', () => {
    const { $schema: _draft07, ...schema } = JSON.parse(readFileSync('test/fixtures/compose-spec.json', 'utf8')) as Record<string, unknown>; // draft-07, ajv's default
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const raw = parse(composeText, { merge: true }) as unknown;
    expect(validate(raw) ? [] : validate.errors).toEqual([]);
    // and the schema does catch a mistake (a misspelled key)
    const broken = structuredClone(raw) as { services: Record<string, Record<string, unknown>> };
    broken.services['heygem-video-0'].shm_sise = '8g';
    expect(validate(broken)).toBe(false);
  });

  it('runs each GPU’s video container with HeyGem’s real settings, in the preset layout', () => {
    for (const slot of heygemPreset(3, '/home/op')) {
      const n = slot.id;
      const v = svc(`heygem-video-${n}`);
      expect(v).toMatchObject({ image: 'guiji2025/heygem.ai', runtime: 'nvidia', privileged: true, shm_size: '8g', restart: 'always', command: 'python /code/app_local.py' });
      expect(v.environment).toEqual({ CUDA_VISIBLE_DEVICES: String(n), PYTORCH_CUDA_ALLOC_CONF: 'max_split_size_mb:512' });
      expect(v.deploy!.resources.reservations.devices).toEqual([{ driver: 'nvidia', device_ids: [String(n)], capabilities: ['gpu'] }]);
      expect(v.ports).toEqual([`127.0.0.1:${new URL(slot.video.url).port}:8383`]);
      expect(v.volumes).toEqual([`${DATA}/${posix.basename(slot.video.dataDir)}:/code/data`]);
      expect(v.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:8383/easy/query');
      expect(v.healthcheck!.start_period).toBeDefined(); // the port opens only after the model loads
    }
  });

  it('runs each GPU’s TTS container with HeyGem’s real settings and a health check that a busy server passes', () => {
    for (const slot of heygemPreset(3, '/home/op')) {
      const n = slot.id;
      const t = svc(`heygem-tts-${n}`);
      expect(t).toMatchObject({ image: 'guiji2025/fish-speech-ziming', runtime: 'nvidia', restart: 'always' });
      expect(t.command).toBe('/bin/bash -c "/opt/conda/envs/python310/bin/python3 tools/api_server.py --listen 0.0.0.0:8080"');
      expect(t.environment).toEqual({ NVIDIA_VISIBLE_DEVICES: String(n), NVIDIA_DRIVER_CAPABILITIES: 'compute,graphics,utility,video,display' });
      expect(t.deploy!.resources.reservations.devices[0].device_ids).toEqual([String(n)]);
      expect(t.ports).toEqual([`127.0.0.1:${new URL(slot.tts.url).port}:8080`]);
      expect(t.volumes).toEqual([`${DATA}/${posix.basename(slot.tts.dataDir)}:/code/data`]);
      const check = t.healthcheck!.test.join(' ');
      expect(check).not.toContain('/v1/health'); // blocks while synthesizing
      expect(check).toContain("create_connection(('127.0.0.1', 8080)");
    }
  });

  it('runs HeyGem’s ASR container, which the TTS containers need to prepare a voice, with a health check', () => {
    const asr = svc('heygem-asr');
    expect(asr).toMatchObject({ image: 'guiji2025/fun-asr', runtime: 'nvidia', privileged: true, restart: 'always', working_dir: '/workspace/FunASR/runtime', command: 'sh /run.sh' });
    expect(asr.ports).toEqual(['127.0.0.1:10095:10095']); // loopback only: no authentication
    expect(asr.volumes).toEqual([`${DATA}/asr/models:/workspace/models`]);
    expect(asr.healthcheck!.test.join(' ')).toContain('/dev/tcp/127.0.0.1/10095');
    expect(asr.healthcheck!.start_period).toBeDefined();
    expect(svc('gateway').depends_on!['heygem-asr']).toEqual({ condition: 'service_started' });
  });

  it('never lets two containers share a data dir, a host port or (per kind) a GPU', () => {
    const containers = Object.entries(compose.services).filter(([name]) => /^heygem-(video|tts)-/.test(name));
    expect(containers).toHaveLength(GPUS.length * 2);
    const dirs = containers.map(([, s]) => mounts(s)[0].host);
    const ports = containers.flatMap(([, s]) => s.ports!.map((p) => p.split(':')[1]));
    expect(new Set(dirs).size).toBe(dirs.length);
    expect(new Set(ports).size).toBe(ports.length);
    for (const kind of ['video', 'tts']) {
      const gpus = containers.filter(([name]) => name.includes(kind)).map(([, s]) => s.deploy!.resources.reservations.devices[0].device_ids[0]);
      expect(gpus.sort()).toEqual(GPUS.map(String));
    }
  });

  it('creates every data dir owned by the gateway’s uid before anything mounts it', () => {
    const init = svc('init-data-dirs');
    expect(init.user).toBe('0:0');
    const script = [...(init.entrypoint ?? []), ...[init.command ?? []].flat()].join(' ');
    const uid = /^ARG HEYGEM_UID=(\d+)$/m.exec(readFileSync('Dockerfile', 'utf8'))![1];
    expect(script).toContain(`chown \${HEYGEM_UID:-${uid}}:\${HEYGEM_GID:-${uid}}`);
    expect(svc('gateway').build!.args).toEqual({ HEYGEM_UID: `\${HEYGEM_UID:-${uid}}`, HEYGEM_GID: `\${HEYGEM_GID:-${uid}}` });
    const initRoot = mounts(init).find((m) => m.host === DATA)!.inside;
    for (const [name, s] of Object.entries(compose.services).filter(([n]) => /^heygem-(video|tts)-/.test(n))) {
      const dir = posix.join(initRoot, posix.basename(mounts(s)[0].host));
      expect(script, name).toContain(`${dir} `);
      expect(script, name).toContain(`${dir}/${name.includes('video') ? 'temp' : 'reference'} `); // where the gateway writes
      expect(s.depends_on, name).toEqual({ 'init-data-dirs': { condition: 'service_completed_successfully' } });
    }
    expect(svc('gateway').depends_on!['init-data-dirs']).toEqual({ condition: 'service_completed_successfully' });
  });

  it('runs the gateway from the Dockerfile with a config that reaches every container and sees its data dir', () => {
    const gw = svc('gateway');
    expect(existsSync(posix.join('deploy', gw.build!.context, gw.build!.dockerfile))).toBe(true);
    const configMount = mounts(gw).find((m) => m.inside === gw.environment!.HEYGEM_GATEWAY_CONFIG)!;
    const config = loadConfig({ path: posix.join('deploy', configMount.host), env: {} });
    expect(config.engine).toBe('heygem');
    expect(config.slots.map((s) => s.id)).toEqual(GPUS);
    const dataMount = mounts(gw).find((m) => m.host === DATA)!;
    for (const s of config.slots) {
      for (const [kind, url, dataDir, inside, port] of [
        ['video', s.videoUrl, s.videoDataDir, s.videoContainerDataDir, '8383'],
        ['tts', s.ttsUrl, s.ttsDataDir, s.ttsContainerDataDir, '8080'],
      ] as const) {
        const container = svc(`heygem-${kind}-${s.id}`);
        expect(url).toBe(`http://heygem-${kind}-${s.id}:${port}`); // by service name, on the container's own port
        const hostDir = mounts(container).find((m) => m.inside === inside)!.host;
        expect(posix.relative(dataMount.inside, dataDir)).toBe(posix.relative(DATA, hostDir)); // same host dir on both sides
      }
    }
    expect(mounts(gw).some((m) => m.inside === config.dataDir && m.host in compose.volumes)).toBe(true);
    expect(config.server.host).toBe('0.0.0.0');
    expect(gw.ports).toEqual([`127.0.0.1:${config.server.port}:${config.server.port}`]);
  });
});

/** Dockerfile instructions with continuation lines joined, grouped by stage. */
function dockerStages(text: string): Array<{ from: string; name?: string; lines: Array<[string, string]> }> {
  const joined = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Array<{ from: string; name?: string; lines: Array<[string, string]> }> = [];
  for (const line of joined) {
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`unparsable Dockerfile line: ${line}`);
    if (op.toUpperCase() === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest)!;
      stages.push({ from: image, name, lines: [] });
    } else if (op.toUpperCase() !== 'ARG' || stages.length) stages.at(-1)!.lines.push([op.toUpperCase(), rest]);
  }
  return stages;
}

describe('Dockerfile', () => {
  const text = readFileSync('Dockerfile', 'utf8');
  const stages = dockerStages(text);
  const build = stages[0];
  const runtime = stages.at(-1)!;
  const all = (stage: typeof build, op: string) => stage.lines.filter(([o]) => o === op).map(([, r]) => r);

  it('builds in one stage and runs from a slim node 20 stage', () => {
    expect(stages).toHaveLength(2);
    expect(stages.map((s) => s.from)).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(build.name).toBe('build');
    const runs = all(build, 'RUN').join('\n');
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm run build');
    expect(runs).toContain('npm prune --omit=dev');
  });

  it('copies only sources that exist and are not excluded from the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const copy of all(build, 'COPY')) {
      const parts = copy.split(/\s+/);
      for (const src of parts.slice(0, -1)) {
        expect(existsSync(src), src).toBe(true);
        expect(ignored, src).not.toContain(src);
      }
    }
    for (const must of ['node_modules', 'dist', 'web/dist', 'data', '.git']) expect(ignored).toContain(must);
    const fromBuild = all(runtime, 'COPY').filter((c) => c.startsWith('--from=build')).map((c) => c.split(/\s+/)[1]);
    expect(fromBuild.sort()).toEqual(['/app/bin', '/app/dist', '/app/node_modules', '/app/package.json', '/app/web/dist']);
  });

  it('runs as a non-root user with ffmpeg, espeak-ng and the CJK caption font, a data volume, port 5003 and a health check', () => {
    const runs = all(runtime, 'RUN').join('\n');
    expect(runs).toMatch(/apt-get install[^\n]*\bffmpeg\b/);
    expect(runs).toMatch(/apt-get install[^\n]*\bespeak-ng\b/);
    expect(runs).toMatch(/apt-get install[^\n]*\bfonts-noto-cjk\b/);
    const user = all(runtime, 'USER');
    expect(user).toHaveLength(1);
    expect(['root', '0', '0:0']).not.toContain(user[0]);
    expect(runs).toContain(`useradd --system --uid "\${HEYGEM_UID}" --gid heygem`);
    expect(all(runtime, 'EXPOSE')).toEqual(['5003']);
    expect(all(runtime, 'VOLUME')).toEqual(['["/var/lib/heygem-gateway"]']);
    expect(all(runtime, 'ENV').join(' ')).toContain('DATA_DIR=/var/lib/heygem-gateway');
    expect(JSON.parse(all(runtime, 'ENTRYPOINT')[0])).toEqual(['node', 'bin/heygem-gateway.js']);
    expect(JSON.parse(all(runtime, 'CMD')[0])).toEqual(['serve']);
    expect(all(runtime, 'HEALTHCHECK')[0]).toContain('/api/health/live');
  });

  it('its health check command exits 0 on a 200 answer and 1 otherwise (run against a loopback server)', async () => {
    const cmd = JSON.parse(/CMD (\[.*\])$/.exec(all(runtime, 'HEALTHCHECK')[0])![1]) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
    let status = 200;
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url!);
      res.writeHead(req.url === '/api/health/live' ? status : 404).end('{}');
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    const check = () =>
      run(process.execPath, cmd.slice(1), { env: { ...process.env, PORT: String(port) }, timeout: 30_000 }).then(
        () => 0,
        (err: { code?: number }) => err.code,
      );
    try {
      expect(await check()).toBe(0);
      status = 503;
      expect(await check()).toBe(1);
      expect(seen).toEqual(['/api/health/live', '/api/health/live']);
    } finally {
      server.close();
    }
    const dead = await freePort();
    expect(await run(process.execPath, cmd.slice(1), { env: { ...process.env, PORT: String(dead) } }).then(() => 0, (e: { code?: number }) => e.code)).toBe(1);
  });
});

describe('deploy/heygem-gateway.service', () => {
  const unit = readFileSync('deploy/heygem-gateway.service', 'utf8');
  const service = Object.fromEntries(
    unit
      .split('[Service]')[1]
      .split(/^\[/m)[0]
      .split('\n')
      .filter((l) => /^\w+=/.test(l))
      .reduce<Array<[string, string]>>((acc, l) => {
        const [k, ...v] = l.split('=');
        const prev = acc.find(([key]) => key === k);
        if (prev && k === 'Environment') prev[1] += `\n${v.join('=')}`;
        else acc.push([k, v.join('=')]);
        return acc;
      }, []),
  );
  const env = Object.fromEntries(service.Environment.split('\n').map((e) => e.split('=') as [string, string]));

  it('runs the compiled build with plain node (signals reach the server)', () => {
    expect(service.ExecStart).toBe(`/usr/bin/node ${service.WorkingDirectory}/bin/heygem-gateway.js serve`);
    expect(unit).not.toContain('tsx');
    expect(service.KillSignal).toBe('SIGTERM');
  });

  it('keeps its data in a writable StateDirectory under ProtectSystem=strict, not ./data', () => {
    expect(service.ProtectSystem).toBe('strict');
    expect(service.StateDirectory).toBe('heygem-gateway');
    expect(env.DATA_DIR).toBe('%S/heygem-gateway'); // %S = /var/lib for a system unit
    // as the unit starts it: DATA_DIR from the unit, relative paths against WorkingDirectory
    const config = loadConfig({ path: resolve('deploy/gateway.example.yaml'), env: { DATA_DIR: '/var/lib/heygem-gateway' }, cwd: service.WorkingDirectory });
    expect(config.dataDir).toBe('/var/lib/heygem-gateway');
    expect(env.HEYGEM_GATEWAY_CONFIG).toBe('/etc/heygem-gateway/gateway.yaml');
  });

  it('may write the preset’s container data dirs of its user, and waits long enough for a graceful stop', () => {
    const writable = service.ReadWritePaths.split(/\s+/).map((p: string) => p.replace(/^-/, ''));
    for (const slot of heygemPreset(3, `/home/${service.User}`)) {
      for (const dir of [slot.video.dataDir, slot.tts.dataDir]) expect(writable.some((w: string) => dir.startsWith(`${w}/`)), dir).toBe(true);
    }
    const grace = loadConfig({ path: 'deploy/gateway.example.yaml', env: {} }).server.shutdownGraceMs;
    expect(Number(service.TimeoutStopSec) * 1000).toBeGreaterThan(grace + 5_000); // serve's own hard stop is grace + 5 s
  });

  it('passes systemd-analyze verify', async () => {
    const which = await run('sh', ['-c', 'command -v systemd-analyze']).catch(() => null);
    if (!which) return; // not every machine has systemd's tools; the structural checks above still ran
    const { stderr } = await run('systemd-analyze', ['verify', 'deploy/heygem-gateway.service']);
    expect(stderr).toBe('');
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
