/**
 * Loading the configuration: file (YAML/JSON) → environment overrides → schema → resolved
 * object with absolute paths and concrete slots. Fails fast with ONE error that lists every
 * bad key.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatIssues, formatPath, unknownKeys } from './issues.js';
import { BASE_CAPTION_STYLE, buildPresets } from '../domain/caption-style.js';
import { configSchema, type ParsedConfig, type SlotConfig } from './schema.js';

export interface ResolvedSlot {
  id: number;
  videoUrl: string;
  videoDataDir: string;
  videoContainerDataDir: string;
  ttsUrl: string;
  ttsDataDir: string;
  ttsContainerDataDir: string;
  defaultFace?: string;
  defaultVoice?: string;
}

export type GatewayConfig = Omit<ParsedConfig, 'slots'> & {
  /** Resolved heygem slots; empty for the preview engine (it has preview.slots). */
  slots: ResolvedSlot[];
  /** Where the config came from, for `doctor` and logs. */
  source: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The replaced system's layout: GPU n → video 8390+n, TTS 18182+n, ~/heygem_data/{gpu,tts}<n>. */
export function heygemPreset(gpus: number, home = homedir()): SlotConfig[] {
  return Array.from({ length: gpus }, (_, n) => ({
    id: n,
    video: { url: `http://127.0.0.1:${8390 + n}`, dataDir: join(home, 'heygem_data', `gpu${n}`) },
    tts: { url: `http://127.0.0.1:${18182 + n}`, dataDir: join(home, 'heygem_data', `tts${n}`) },
  }));
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`config file ${path}: ${(err as Error).message}`]);
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : (parseYaml(text) ?? {});
  } catch (err) {
    throw new ConfigError([`config file ${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`]);
  }
}

/** Environment overrides: PORT, HOST, DATA_DIR, HEYGEM_GATEWAY_ENGINE, LOG_LEVEL. */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, problems: string[]): void {
  const server = { ...((raw.server as Record<string, unknown>) ?? {}) };
  if (env.PORT !== undefined && env.PORT !== '') {
    const n = Number(env.PORT);
    if (!Number.isInteger(n)) problems.push(`PORT: expected a whole number, got "${env.PORT}"`);
    server.port = n;
  }
  if (env.HOST) server.host = env.HOST;
  raw.server = server;
  if (env.DATA_DIR) raw.dataDir = env.DATA_DIR;
  if (env.HEYGEM_GATEWAY_ENGINE) raw.engine = env.HEYGEM_GATEWAY_ENGINE;
  if (env.LOG_LEVEL) raw.logLevel = env.LOG_LEVEL;
}

/** Checked on the raw input so they are reported together with every other problem. */
function duplicateSlotIds(raw: Record<string, unknown>): string[] {
  if (!Array.isArray(raw.slots)) return [];
  const seen = new Map<unknown, number>();
  const out: string[] = [];
  raw.slots.forEach((s: unknown, i) => {
    const id = (s as { id?: unknown } | null)?.id;
    if (typeof id !== 'number') return;
    if (seen.has(id)) out.push(`${formatPath(['slots', i, 'id'])}: duplicate id ${id} (also slots[${seen.get(id)}])`);
    else seen.set(id, i);
  });
  return out;
}

function resolveSlots(parsed: ParsedConfig, baseDir: string): ResolvedSlot[] {
  if (parsed.engine !== 'heygem') return [];
  const slots = typeof parsed.slots === 'string' ? heygemPreset(Number(parsed.slots.match(/\d+/)![0])) : parsed.slots;
  if (!slots) throw new ConfigError(['slots: required when engine is "heygem" (a list, or a preset like "heygem-3gpu")']);
  const dirs = new Set<string>();
  const problems: string[] = [];
  const out = slots.map((s, i) => {
    const videoDataDir = resolve(baseDir, s.video.dataDir);
    // Two video containers sharing a data dir overwrite each other's cached frames (docs/protocol.md).
    if (dirs.has(videoDataDir)) problems.push(`${formatPath(['slots', i, 'video', 'dataDir'])}: shared with another slot (${videoDataDir})`);
    dirs.add(videoDataDir);
    return {
      id: s.id,
      videoUrl: s.video.url.replace(/\/+$/, ''),
      videoDataDir,
      videoContainerDataDir: s.video.containerDataDir ?? parsed.containerDataDir,
      ttsUrl: s.tts.url.replace(/\/+$/, ''),
      ttsDataDir: resolve(baseDir, s.tts.dataDir),
      ttsContainerDataDir: s.tts.containerDataDir ?? parsed.containerDataDir,
      defaultFace: s.defaultFace && resolve(baseDir, s.defaultFace),
      defaultVoice: s.defaultVoice && resolve(baseDir, s.defaultVoice),
    };
  });
  if (problems.length) throw new ConfigError(problems);
  return out;
}

export interface LoadOptions {
  /** Path from --config; falls back to HEYGEM_GATEWAY_CONFIG; none → embedded defaults. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  /** Inline config (tests); merged under env overrides like a file would be. */
  inline?: Record<string, unknown>;
  cwd?: string;
}

export function loadConfig(opts: LoadOptions = {}): GatewayConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const path = opts.path ?? (env.HEYGEM_GATEWAY_CONFIG || undefined);
  const raw = structuredClone((path ? readConfigFile(resolve(cwd, path)) : opts.inline) ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(['(root): expected a mapping of settings']);
  const problems: string[] = [];
  applyEnv(raw, env, problems);
  const result = configSchema.safeParse(raw);
  if (!result.success) problems.push(...formatIssues(result.error.issues));
  problems.push(...unknownKeys(configSchema, raw), ...duplicateSlotIds(raw));
  if (result.success) problems.push(...buildPresets(BASE_CAPTION_STYLE, result.data.captions.styles).problems);
  if (problems.length || !result.success) throw new ConfigError(problems);
  const parsed = result.data;
  const dataDir = isAbsolute(parsed.dataDir) ? parsed.dataDir : resolve(cwd, parsed.dataDir);
  return { ...parsed, dataDir, slots: resolveSlots(parsed, cwd), source: path ? resolve(cwd, path) : 'embedded defaults' };
}
