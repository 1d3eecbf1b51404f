/**
 * The configuration schema (DESIGN.md §6). One file (YAML or JSON) plus environment overrides,
 * validated once at start; every option has a documented default so an empty file (or none)
 * starts the embedded defaults: SQLite + local files under ./data + the CPU preview engine.
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const url = z.string().url();

export const slotSchema = z.object({
  /** GPU index; also the key in /api/queue `gpus`. */
  id: z.number().int().min(0),
  video: z.object({ url, dataDir: z.string().min(1), containerDataDir: z.string().optional() }),
  tts: z.object({ url, dataDir: z.string().min(1), containerDataDir: z.string().optional() }),
  /** Face video used when a request has none (host path); default: the generated preview face. */
  defaultFace: z.string().optional(),
  /** Reference voice used when a request has no video (host path); default: generated voice. */
  defaultVoice: z.string().optional(),
});
export type SlotConfig = z.infer<typeof slotSchema>;

/** `heygem-3gpu` (the replaced system's layout) or `heygem-<n>gpu` for another count. */
const slotPreset = z.string().regex(/^heygem-\d{1,2}gpu$/, 'expected a preset like "heygem-3gpu" or a list of slots');

export const configSchema = z
  .object({
    server: z
      .object({
        /** @defaultValue 127.0.0.1 — loopback; listening wider turns auth on (see README). */
        host: z.string().default('127.0.0.1'),
        /** @defaultValue 5003, the replaced system's port */
        port: port.default(5003),
        /** Public base URL used in absolute links; relative links when unset. */
        publicUrl: z.string().optional(),
        /** SIGTERM/SIGINT: how long in-flight tasks may finish before they are handed back. @defaultValue 10000 */
        shutdownGraceMs: z.number().int().min(0).default(10_000),
        /** Browser origins allowed to call the API cross-site (exact `scheme://host[:port]`; never `*`). @defaultValue [] */
        corsOrigins: z.array(z.string().regex(/^https?:\/\/[^/*\s]+$/, 'expected an origin like https://app.example.com')).default([]),
      })
      .prefault({}),
    /** uploads/, outputs/, work/, assets/ and gateway.db live here. @defaultValue ./data */
    dataDir: z.string().default('./data'),
    /** @defaultValue preview */
    engine: z.enum(['preview', 'heygem']).default('preview'),
    slots: z.union([z.array(slotSchema).min(1), slotPreset]).optional(),
    /** Where both containers mount their host data dir. @defaultValue /code/data */
    containerDataDir: z.string().default('/code/data'),
    preview: z
      .object({
        /** Number of CPU preview slots. @defaultValue 2 */
        slots: z.number().int().min(1).max(64).default(2),
        /** espeak-ng voice. @defaultValue en */
        voice: z.string().regex(/^[a-zA-Z0-9_+-]{1,40}$/).default('en'),
      })
      .prefault({}),
    media: z
      .object({
        ffmpeg: z.string().default('ffmpeg'),
        ffprobe: z.string().default('ffprobe'),
        espeak: z.string().default('espeak-ng'),
        /** Upper bound for one ffmpeg run. @defaultValue 300000 */
        timeoutMs: z.number().int().positive().default(300_000),
      })
      .prefault({}),
    limits: z
      .object({
        /** @defaultValue 5000 characters */
        maxTextChars: z.number().int().positive().default(5000),
        /** @defaultValue 200 MiB */
        maxUploadBytes: z.number().int().positive().default(200 * 1024 * 1024),
        /** Longest accepted face video. @defaultValue 600 s */
        maxVideoSeconds: z.number().positive().default(600),
        /** Reference voice cut from an upload. @defaultValue 20 s (longer clips gain little) */
        maxReferenceSeconds: z.number().positive().default(20),
        /** Refuse new work (507) when the data dir has less free space than this. 0 disables. @defaultValue 1 GiB */
        minFreeDiskBytes: z.number().int().min(0).default(1024 ** 3),
      })
      .prefault({}),
    heygem: z
      .object({
        /**
         * Longest gap between two /easy/query calls for a running job (a query is a dict lookup in
         * the container; the replaced system's 5 s wasted seconds per task). The learned render
         * time may only make polling faster than this, never slower. @defaultValue 100
         */
        pollIntervalMs: z.number().int().min(10).default(100),
        /** Poll gap once the finish is near (expected, result named, or result file seen). @defaultValue 25 */
        minPollIntervalMs: z.number().int().min(5).default(25),
        /** Wake the poll loop the moment `<videoDataDir>/temp/<code>-r.mp4` appears (fs.watch, stat fallback). @defaultValue true */
        watchResultFile: z.boolean().default(true),
        /** Per-HTTP-call timeout to a container. @defaultValue 10000 */
        requestTimeoutMs: z.number().int().positive().default(10_000),
        /** One TTS synthesis. @defaultValue 180000 */
        ttsTimeoutMs: z.number().int().positive().default(180_000),
        /** Absolute cap on one render, submit → done (the server itself gives up after ~600 s). @defaultValue 900000 */
        renderTimeoutMs: z.number().int().positive().default(900_000),
        /**
         * A render the container still answers for is declared hung only after this many times the
         * render time expected for its speech length (learned per container). @defaultValue 4
         */
        hangFactor: z.number().min(1).default(4),
        /** Never declare a render hung before this long (warm-up, very short speech). @defaultValue 120000 */
        hangMinMs: z.number().int().positive().default(120_000),
        /** Expected render seconds per second of speech until a container has history. @defaultValue 3 */
        defaultRenderSecPerSpeechSec: z.number().positive().default(3),
        /**
         * Deprecated and ignored: hangs are no longer judged by progress (real containers sit at
         * one progress value for most of a render). Accepted so older config files still load.
         */
        stallTimeoutMs: z.number().int().positive().optional(),
        /** How long a finished result may keep growing before it verifies. @defaultValue 30000 */
        verifyTimeoutMs: z.number().int().positive().default(30_000),
        /** Opt-in: on TTS failure, render with the reference audio (says the WRONG words). @defaultValue false */
        fallbackToReferenceAudio: z.boolean().default(false),
        tts: z
          .object({
            top_p: z.number().default(0.7),
            temperature: z.number().default(0.7),
            repetition_penalty: z.number().default(1.2),
            max_new_tokens: z.number().int().default(1024),
            chunk_length: z.number().int().min(100).max(300).default(100),
            seed: z.number().int().optional(),
          })
          .prefault({}),
      })
      .prefault({}),
    scheduler: z
      .object({
        /** Drive this process's slots. false = API-only process (with a shared Redis store). @defaultValue true */
        enabled: z.boolean().default(true),
        /** With a shared store, how often to look for work queued by other processes. @defaultValue 500 */
        sharedPollMs: z.number().int().min(10).default(500),
        /** TTS of the next task while the current one renders. @defaultValue true */
        pipelining: z.boolean().default(true),
        /** Attempts for retryable faults before a task fails. @defaultValue 3 */
        maxAttempts: z.number().int().min(1).default(3),
        /** Consecutive engine faults before a slot is marked unhealthy. @defaultValue 3 */
        unhealthyAfterFailures: z.number().int().min(1).default(3),
        /** Health probe interval for slots (and unhealthy ones). @defaultValue 10000 */
        healthProbeIntervalMs: z.number().int().min(10).default(10_000),
        /** Base delay before a retryable task runs again (exponential, jittered). @defaultValue 1000 */
        retryBaseDelayMs: z.number().int().min(0).default(1000),
      })
      .prefault({}),
    auth: z
      .object({
        /** API keys required? `auto`: only when server.host is not loopback. @defaultValue auto */
        enabled: z.union([z.literal('auto'), z.boolean()]).default('auto'),
      })
      .prefault({}),
    /** Limits on creating work (POST /api/generate, retry). 0 disables a limit. */
    rateLimit: z
      .object({
        /** Task submissions per minute per API key (burst = the full minute). @defaultValue 60 */
        submitsPerMinutePerKey: z.number().int().min(0).default(60),
        /** Task submissions per minute per client IP. @defaultValue 60 */
        submitsPerMinutePerIp: z.number().int().min(0).default(60),
        /** Queued + running tasks one API key may have at once. @defaultValue 50 */
        maxActiveTasksPerKey: z.number().int().min(0).default(50),
        /** Loopback clients (the local operator, the CLI) skip the per-IP limit. @defaultValue true */
        exemptLoopback: z.boolean().default(true),
      })
      .prefault({}),
    /** Scheduled removal of old per-task *files* (never those of a queued or running task). 0 disables an entry. */
    fileRetention: z
      .object({
        /** How often the sweep runs. @defaultValue 3600000 (hourly) */
        intervalMs: z.number().int().min(0).default(3_600_000),
        /** Uploaded face videos. @defaultValue 7 days */
        uploadsMaxAgeMs: z.number().int().min(0).default(7 * 86_400_000),
        /** Scratch dirs under work/ and interrupted temp copies. @defaultValue 1 day */
        workMaxAgeMs: z.number().int().min(0).default(86_400_000),
        /** Per-task files left in the containers' host data dirs (temp/, reference/). @defaultValue 1 day */
        containerFilesMaxAgeMs: z.number().int().min(0).default(86_400_000),
        /** Finished videos and speech in outputs/. @defaultValue 0 (kept forever) */
        outputsMaxAgeMs: z.number().int().min(0).default(0),
      })
      .prefault({}),
    /** GPU telemetry sampled in the background (never inside a request). */
    telemetry: z
      .object({
        /** auto = sample with nvidia-smi when engine is heygem. @defaultValue auto */
        gpu: z.enum(['auto', 'on', 'off']).default('auto'),
        /** @defaultValue nvidia-smi (found on PATH) */
        nvidiaSmi: z.string().default('nvidia-smi'),
        /** @defaultValue 5000 */
        intervalMs: z.number().int().min(100).default(5000),
      })
      .prefault({}),
    /** Task *records* (history); per-task files are under fileRetention. */
    retention: z
      .object({
        /** Delete finished task records older than this many days; 0 keeps them forever. @defaultValue 90 */
        taskRecordDays: z.number().min(0).default(90),
        /** @defaultValue 3600000 (hourly) */
        intervalMs: z.number().int().min(1000).default(3_600_000),
      })
      .prefault({}),
    /** Where tasks and the queue live: embedded SQLite (one process) or Redis (several). */
    store: z
      .object({
        /** @defaultValue sqlite */
        driver: z.enum(['sqlite', 'redis']).default('sqlite'),
        /** @defaultValue redis://127.0.0.1:6379 */
        redisUrl: z.string().default('redis://127.0.0.1:6379'),
        /** Key prefix: one deployment per prefix. @defaultValue heygem */
        redisPrefix: z.string().regex(/^[\w.-]{1,64}$/).default('heygem'),
      })
      .prefault({}),
    /** trace | debug | info | warn | error | fatal | silent. @defaultValue info */
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .strict();

export type GatewayConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
