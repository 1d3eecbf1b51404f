/**
 * The configuration schema (docs/deployment.md). One file (YAML or JSON) plus environment overrides,
 * validated once at start; every option has a documented default so an empty file (or none)
 * starts the embedded defaults: SQLite + local files under ./data + the CPU preview engine.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

function isIpOrCidr(v: string): boolean {
  const [ip, bits, extra] = v.split('/');
  const family = isIP(ip);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

const port = z.number().int().min(0).max(65535);
/** Container URLs: a bare `127.0.0.1:8390` would parse as a URL with scheme "127.0.0.1:". */
const url = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/?#]+/i.test(v) && URL.canParse(v), 'expected http(s) URL, e.g. http://127.0.0.1:8390');

/**
 * Reverse proxies whose X-Forwarded-* headers are believed: `true` (any), a hop count, or
 * addresses/CIDRs (and proxy-addr's names loopback, linklocal, uniquelocal). See docs/operations.md.
 */
const proxyAddress = z
  .string()
  .refine((v) => ['loopback', 'linklocal', 'uniquelocal'].includes(v) || isIpOrCidr(v), 'expected an IP address, a CIDR like 10.0.0.0/8, or loopback/linklocal/uniquelocal');
const trustProxy = z.union([z.boolean(), z.number().int().min(1).max(16), z.array(proxyAddress).min(1), proxyAddress], {
  error: 'expected false, true, a hop count, or a list of proxy addresses/CIDRs',
});

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

/** A target id: also the `publish` request field value and part of its credential variable names. */
const targetId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'expected lowercase letters, digits, "-" or "_" (at most 32)');
const targetCommon = {
  id: targetId,
  /** Shown in the UI; defaults to the id. */
  name: z.string().max(80).optional(),
  /** @defaultValue true */
  enabled: z.boolean().default(true),
  /** Publish when the request does not name targets. @defaultValue true */
  default: z.boolean().default(true),
};
const vimeoTarget = z
  .object({
    ...targetCommon,
    type: z.literal('vimeo'),
    /** @defaultValue https://api.vimeo.com (tests point it at a local fake) */
    apiUrl: url.default('https://api.vimeo.com'),
    /** Title template: {task_id}, {date}, {text} (first 50 characters). @defaultValue "HeyGem {task_id}" */
    nameTemplate: z.string().min(1).max(200).default('HeyGem {task_id}'),
    /** @defaultValue "Generated {date}: {text}" */
    descriptionTemplate: z.string().max(2000).default('Generated {date}: {text}'),
    /** Vimeo privacy.view. @defaultValue nobody (only the account owner) */
    privacy: z.enum(['anybody', 'nobody', 'unlisted', 'disable', 'contacts', 'users', 'password']).default('nobody'),
    /** Bytes per tus PATCH (read from disk as a stream, never held whole). @defaultValue 64 MiB */
    chunkBytes: z.number().int().min(1024).default(64 * 1024 * 1024),
  })
  .strict();
const s3Target = z
  .object({
    ...targetCommon,
    type: z.literal('s3'),
    bucket: z.string().min(3).max(63),
    /** Prepended to every key, e.g. "videos/". @defaultValue "" */
    prefix: z.string().max(200).default(''),
    /** Object key after the prefix: {task_id}, {date}. @defaultValue "{task_id}.mp4" */
    keyTemplate: z.string().min(1).max(200).default('{task_id}.mp4'),
    /** @defaultValue us-east-1 (R2: "auto") */
    region: z.string().min(1).default('us-east-1'),
    /** MinIO / R2 / other S3-compatible endpoint; unset = AWS. */
    endpoint: url.optional(),
    /** Path-style URLs (MinIO). @defaultValue false */
    forcePathStyle: z.boolean().default(false),
    /** Public link = this + "/" + key (a CDN or public bucket). */
    publicBaseUrl: url.optional(),
    /** Without publicBaseUrl: a presigned GET link valid this many seconds (max 7 days); 0 = no link. @defaultValue 0 */
    presignExpiresSec: z.number().int().min(0).max(604_800).default(0),
    /** Multipart part size (memory per upload ≈ 2 parts). @defaultValue 8 MiB */
    partSizeBytes: z.number().int().min(5 * 1024 * 1024).default(8 * 1024 * 1024),
  })
  .strict();
export const publishTargetSchema = z.discriminatedUnion('type', [vimeoTarget, s3Target]);
export type PublishTargetConfig = z.infer<typeof publishTargetSchema>;

/** docs/webhooks.md, "Configuration". */
const webhooksSchema = z
  .object({
    /** Deployment secret signing per-task callbacks (env HEYGEM_WEBHOOKS_SECRET also works); without one, callback_url is refused. */
    secret: z.string().min(16).optional(),
    /** The deployment secret before a rotation: callbacks carry a signature with each while it is set. */
    previousSecret: z.string().min(16).optional(),
    /** Hosts (names, IPs, CIDRs) allowed although private/loopback/link-local. @defaultValue [] */
    allowedHosts: z.array(z.string().min(1).max(255)).default([]),
    /** Bound of one delivery attempt, connect to last byte. @defaultValue 10000 */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Attempts in flight on this node. @defaultValue 16 */
    concurrency: z.number().int().min(1).max(1000).default(16),
    /** Attempts in flight to one endpoint (or one callback host). @defaultValue 2 */
    perEndpointConcurrency: z.number().int().min(1).max(100).default(2),
    /** @defaultValue 10000 */
    retryBaseDelayMs: z.number().int().min(1).default(10_000),
    /** @defaultValue 3600000 */
    retryMaxDelayMs: z.number().int().min(1).default(3_600_000),
    /** Retries stop this long after the event. @defaultValue 86400000 (a day) */
    maxAgeMs: z.number().int().min(1000).default(86_400_000),
    /** How often the outbox is looked at for due retries. @defaultValue 1000 */
    pollIntervalMs: z.number().int().min(10).default(1000),
    /** Endpoints one API key may register. @defaultValue 20 */
    maxEndpointsPerKey: z.number().int().min(1).max(1000).default(20),
  })
  .strict()
  .prefault({});

const publishSchema = z
  .object({
    /** @defaultValue [] (publishing off) */
    targets: z.array(publishTargetSchema).default([]),
    /** Upload attempts per target before it is marked failed. @defaultValue 5 */
    maxAttempts: z.number().int().min(1).max(100).default(5),
    /** First retry delay; doubles per attempt, with jitter. @defaultValue 5000 */
    retryBaseDelayMs: z.number().int().min(0).default(5000),
    /** @defaultValue 600000 (10 min) */
    retryMaxDelayMs: z.number().int().min(0).default(600_000),
    /** Uploads running at once (all targets). @defaultValue 2 */
    concurrency: z.number().int().min(1).max(32).default(2),
    /** Per HTTP request to a target. @defaultValue 120000 */
    requestTimeoutMs: z.number().int().positive().default(120_000),
    /** JSON file with credentials, outside the repository (docs/publishing.md); env HEYGEM_PUBLISH_CREDENTIALS_FILE also works. */
    credentialsFile: z.string().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.targets.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['targets', i, 'id'], message: `duplicate target id "${t.id}"` });
      seen.add(t.id);
    });
  })
  .prefault({});

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
        /** Trust X-Forwarded-For/-Proto/-Host from these proxies (false | true | hop count | addresses/CIDRs). @defaultValue false */
        trustProxy: trustProxy.default(false),
        /** Whole request (headers + body) must arrive within this; slow uploads are cut (408). @defaultValue 600000 */
        requestTimeoutMs: z.number().int().min(0).default(600_000),
        /** Request headers must arrive within this (slowloris). @defaultValue 30000 */
        headersTimeoutMs: z.number().int().min(0).default(30_000),
        /** An idle socket (nothing sent or received) is closed after this; SSE sends a heartbeat every 15 s. @defaultValue 60000 */
        connectionTimeoutMs: z.number().int().min(0).default(60_000),
        /** Idle keep-alive connection between requests. @defaultValue 72000 */
        keepAliveTimeoutMs: z.number().int().min(1).default(72_000),
        /** How often Node checks the header and request timeouts (they fire up to this late). @defaultValue 5000 */
        timeoutCheckIntervalMs: z.number().int().min(10).default(5_000),
      })
      .prefault({})
      .refine((s) => s.requestTimeoutMs === 0 || s.headersTimeoutMs === 0 || s.headersTimeoutMs <= s.requestTimeoutMs, {
        message: 'headersTimeoutMs must not exceed requestTimeoutMs',
        path: ['headersTimeoutMs'],
      }),
    /** uploads/, outputs/, work/, assets/ and gateway.db live here. @defaultValue ./data */
    dataDir: z.string().default('./data'),
    /** @defaultValue preview */
    engine: z.enum(['preview', 'heygem']).default('preview'),
    slots: z.union([z.array(slotSchema), slotPreset], { error: 'expected a list of slots or a preset like "heygem-3gpu"' }).optional(),
    /** Where both containers mount their host data dir. @defaultValue /code/data */
    containerDataDir: z.string().default('/code/data'),
    preview: z
      .object({
        /** Number of CPU preview slots. @defaultValue 2 */
        slots: z.number().int().min(1).max(64).default(2),
        /** espeak-ng voice for English text (and Latin-script runs inside Chinese). @defaultValue en */
        voice: z.string().regex(/^[a-zA-Z0-9_+-]{1,40}$/).default('en'),
        /** espeak-ng voice for Chinese text (Mandarin; Debian's plain `cmn` reads many syllables as English). @defaultValue cmn-latn-pinyin */
        voiceZh: z.string().regex(/^[a-zA-Z0-9_+-]{1,40}$/).default('cmn-latn-pinyin'),
      })
      .prefault({}),
    media: z
      .object({
        ffmpeg: z.string().default('ffmpeg'),
        ffprobe: z.string().default('ffprobe'),
        espeak: z.string().default('espeak-ng'),
        /** Upper bound for one ffmpeg run. @defaultValue 300000 */
        timeoutMs: z.number().int().positive().default(300_000),
        /** CPU niceness of ffmpeg/ffprobe/espeak-ng children (0 = same as the gateway), so the API stays responsive. @defaultValue 10 */
        niceness: z.number().int().min(0).max(19).default(10),
      })
      .prefault({}),
    limits: z
      .object({
        /** Longest accepted script; long ones are split into segments (docs/segments.md). @defaultValue 100000 characters */
        maxTextChars: z.number().int().positive().default(100_000),
        /** @defaultValue 200 MiB */
        maxUploadBytes: z.number().int().positive().default(200 * 1024 * 1024),
        /** Longest accepted face video. @defaultValue 600 s */
        maxVideoSeconds: z.number().positive().default(600),
        /** Largest face video frame, width × height, read by ffprobe before any decode (a tiny file can declare 16000×16000 and take gigabytes to decode). @defaultValue 8847360 (4096 × 2160) */
        maxVideoPixels: z.number().int().positive().default(4096 * 2160),
        /** Most frames in a face video (counted by the container, else duration × frame rate). @defaultValue 36000 (600 s at 60 fps) */
        maxVideoFrames: z.number().int().positive().default(36_000),
        /** Reference voice cut from an upload. @defaultValue 20 s (longer clips gain little) */
        maxReferenceSeconds: z.number().positive().default(20),
        /** Refuse new work (507) when the data dir has less free space than this. 0 disables. @defaultValue 1 GiB */
        minFreeDiskBytes: z.number().int().min(0).default(1024 ** 3),
        /** Back-pressure: most tasks waiting in the queue; beyond it new work gets 503 + Retry-After. 0 = no limit. @defaultValue 0 */
        maxQueued: z.number().int().min(0).default(0),
        /** Window the queue's drain rate (for Retry-After) is measured over. @defaultValue 300000 (5 min) */
        drainWindowMs: z.number().int().min(1000).default(300_000),
      })
      .prefault({}),
    /** Checks of face videos at the door (docs/checks.md). */
    checks: z
      .object({
        /** Detect faces in uploads and avatar registrations; `off` keeps only the header checks. @defaultValue on */
        face: z.enum(['on', 'off']).default('on'),
        /** Most stills sampled per video (one a second for shorter clips). @defaultValue 10 */
        sampleFrames: z.number().int().min(1).max(60).default(10),
        /** Least face height as a share of the frame height (BlazeFace's boxes do not shrink much below 0.1 of the height, so lower values judge little). @defaultValue 0.15 */
        minFaceHeightShare: z.number().min(0).max(1).default(0.15),
        /** A face box nearer an edge than this share of the frame is cut off. @defaultValue 0.01 */
        edgeMargin: z.number().min(0).max(0.2).default(0.01),
        /** Least detector confidence for a face. @defaultValue 0.5 */
        minConfidence: z.number().min(0.05).max(1).default(0.5),
        /** Shortest face video. @defaultValue 0.5 s */
        minVideoSeconds: z.number().min(0).default(0.5),
        /** Frame rate range (a video whose container states no rate is not judged). @defaultValue 10–60 */
        minFps: z.number().min(0).default(10),
        maxFps: z.number().positive().default(60),
        /** Least shorter side in pixels (rotation applied). @defaultValue 120 */
        minShortSide: z.number().int().min(1).default(120),
        /** Most longer side in pixels (rotation applied). @defaultValue 4096 */
        maxLongSide: z.number().int().min(1).default(4096),
        /** The output check before `completed` and what it does with bad results (docs/checks.md, "Before completed"). */
        output: z
          .object({
            /** Check every result (a render, each segment, the stitched whole, a runner's upload) before it completes. @defaultValue true */
            enabled: z.boolean().default(true),
            /** Shortest black stretch that fails a result. @defaultValue 0.5 s */
            blackSeconds: z.number().min(0.04).default(0.5),
            /** Shortest frozen stretch that fails a result (only when the face video itself moves). @defaultValue 2 s */
            freezeSeconds: z.number().min(0.1).default(2),
            /** Shortest silence, where the speech has sound, that fails a result. @defaultValue 1 s */
            silenceSeconds: z.number().min(0.1).default(1),
            /** Silence threshold, dBFS. @defaultValue -50 */
            silenceDb: z.number().min(-90).max(-10).default(-50),
            /** Largest accepted difference between the video and audio stream lengths. @defaultValue 0.5 s */
            maxDriftSeconds: z.number().min(0).default(0.5),
            /** Share of samples at full scale above which the sound is reported clipped (a warning, never a failure). @defaultValue 0.001 */
            clipShare: z.number().min(0).max(1).default(0.001),
            /** A retry that should run on another GPU waits this long for one before its old GPU may take it. @defaultValue 60000 */
            preferOtherSlotMs: z.number().int().min(0).default(60_000),
            /** Bad results in a row after which a slot is degraded (takes no work). @defaultValue 2 */
            degradeAfter: z.number().int().min(1).default(2),
            /** A degraded slot's first probe render after this long; each failed probe doubles the wait (up to 30 min). @defaultValue 60000 */
            probeAfterMs: z.number().int().min(0).default(60_000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** POST /api/batches (docs/batches.md). */
    batches: z
      .object({
        /** Most rows in one batch. @defaultValue 1000 */
        maxRows: z.number().int().min(1).max(100_000).default(1000),
        /** Largest batch request body (JSON or CSV). @defaultValue 16 MiB */
        maxBodyBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
        /** Largest per-row metadata, as JSON. @defaultValue 4096 */
        maxMetadataBytes: z.number().int().min(0).default(4096),
      })
      .prefault({}),
    /** Idempotency-Key on POST /api/generate and /api/batches (docs/batches.md). */
    idempotency: z
      .object({
        /** How long a key and its first answer are kept. @defaultValue 86400000 (24 h) */
        ttlMs: z.number().int().min(1000).default(86_400_000),
        /** How long a concurrent twin waits for the first request's answer before 409. @defaultValue 30000 */
        waitMs: z.number().int().min(0).default(30_000),
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
        /** One TTS synthesis of up to ttsTimeoutMs / ttsTimeoutPerCharMs characters. @defaultValue 180000 */
        ttsTimeoutMs: z.number().int().positive().default(180_000),
        /** A longer text gets this much per character instead (scaled with what was asked). @defaultValue 300 */
        ttsTimeoutPerCharMs: z.number().int().min(0).default(300),
        /**
         * Cap on one render, submit → done, of up to renderTimeoutMs / renderTimeoutPerSpeechSecMs
         * seconds of speech (the server itself gives up after ~600 s). @defaultValue 900000
         */
        renderTimeoutMs: z.number().int().positive().default(900_000),
        /** A longer speech gets this much per second of it instead (scaled with what was asked). @defaultValue 15000 */
        renderTimeoutPerSpeechSecMs: z.number().int().min(0).default(15_000),
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
        /**
         * Run every per-task and default reference voice through the slot's TTS container's
         * /v1/preprocess_and_tran once per content hash (denoised copy + transcript), as HeyGem's
         * own client does; needs the heygem-asr container (docs/protocol.md). @defaultValue true
         */
        preprocessVoices: z.boolean().default(true),
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
        /** Drive this process's slots. false = API-only process (with a shared PostgreSQL store). @defaultValue true */
        enabled: z.boolean().default(true),
        /** With a shared store: a safety-net look for work queued by other nodes (notifications are the fast path). @defaultValue 2000 */
        sharedPollMs: z.number().int().min(10).default(2000),
        /** An attempt's lease: a node silent this long loses its tasks to the reaper. @defaultValue 30000 */
        leaseMs: z.number().int().min(100).default(30_000),
        /** How often a working node renews its leases and reports its slots. @defaultValue 5000 */
        heartbeatMs: z.number().int().min(10).default(5000),
        /** How often any node looks for expired leases. @defaultValue 5000 */
        reapIntervalMs: z.number().int().min(10).default(5000),
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
    segments: z
      .object({
        /** Split long scripts into segments rendered on every GPU at once (docs/segments.md). @defaultValue true */
        enabled: z.boolean().default(true),
        /** Speech length a segment aims at; a script estimated at most this long stays one task. @defaultValue 20 s */
        targetSeconds: z.number().min(2).default(20),
        /** Speaking rate before any speech was measured (spoken characters per second); learned from completed tasks. @defaultValue 15 */
        charsPerSecond: z.number().positive().default(15),
        /** Most segments per task (a longer script gets longer segments). @defaultValue 200 */
        maxSegments: z.number().int().min(2).max(1000).default(200),
        /** Pause after each segment's speech but the last (a natural gap between sentences). @defaultValue 250 ms */
        pauseMs: z.number().int().min(0).max(3000).default(250),
        /** Level every segment's speech is brought to (RMS of its voiced parts, dBFS), so levels match across cuts. @defaultValue -20 */
        levelDb: z.number().min(-40).max(-6).default(-20),
        /**
         * A rendered part (a segment, or a one-segment task) is cut or padded to its speech in whole
         * frames; one whose video is off by more than this many seconds is a bad render and is
         * rendered again (docs/segments.md, "Cut to the speech"). @defaultValue 0.5 s
         */
        partTolerance: z.number().min(0.04).max(10).default(0.5),
        /**
         * Backup renders: a GPU with nothing to claim renders a segment that is still rendering
         * elsewhere, and the first result wins (render times vary on their own). The most backups
         * of one segment at a time; 0 turns them off. Default: 1 on the heygem engine, 0 on the
         * preview engine (its "GPUs" share the CPU, so a second render slows the first).
         */
        backupRenders: z.number().int().min(0).max(8).optional(),
      })
      .prefault({}),
    /** Speech text: what happens to characters the TTS cannot speak (docs/api.md, "Language"). */
    text: z
      .object({
        /**
         * Characters of scripts the TTS does not speak (HeyGem's fish-speech: Chinese and English;
         * it silently drops the rest): `refuse` answers 422 `unsupported_script` naming them,
         * `strip` removes them (listed in the answer), `pass` sends them on. @defaultValue refuse
         */
        unsupportedScripts: z.enum(['refuse', 'strip', 'pass']).default('refuse'),
      })
      .strict()
      .prefault({}),
    /** Caption cues (docs/segments.md, "Captions"). */
    captions: z
      .object({
        /** Lines per cue. @defaultValue 2 */
        maxLines: z.number().int().min(1).max(4).default(2),
        /** Longest line of Latin-script text, in characters. @defaultValue 42 */
        maxLineChars: z.number().int().min(10).max(200).default(42),
        /** Longest line of Chinese text, in full-width characters (a half-width one counts as half). @defaultValue 16 */
        maxLineCharsCjk: z.number().int().min(4).max(100).default(16),
        /** fontconfig family burned captions are drawn in; it must hold Chinese glyphs (Debian `fonts-noto-cjk`). @defaultValue Noto Sans CJK SC */
        font: z.string().regex(/^[\w .-]{1,80}$/).default('Noto Sans CJK SC'),
        /**
         * Caption style presets by name (docs/output.md): font, size, color, outline_color, outline,
         * box, box_color, bold, position, max_line_chars, max_line_chars_cjk, max_lines, uppercase,
         * base (another preset). Built-ins: default, bold-box, zh-default. @defaultValue {}
         */
        styles: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      })
      .strict()
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
        /** Per-task files left in the containers' host data dirs (temp/, reference/), and prepared voices and transcoded faces (prep-/face-<sha256>) unused this long. @defaultValue 1 day */
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
        /** Finished tasks deleted per transaction (a long script's segments come along); the API waits for one batch at most. @defaultValue 100 */
        batchRows: z.number().int().min(1).max(10_000).default(100),
      })
      .prefault({}),
    /** Where tasks, the queue, keys and history live: embedded SQLite (one process) or PostgreSQL (several nodes). */
    store: z
      .object({
        /** sqlite: embedded, one process per data dir; postgres: several gateway nodes. @defaultValue sqlite */
        driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
        /** PostgreSQL connection URL (driver postgres), e.g. postgres://gw@db:5432/heygem. */
        url: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
        /** Connections in this node's pool. @defaultValue 10 */
        poolSize: z.number().int().min(1).max(200).default(10),
        /** Give up on a database connection after this long; the request answers 503 store_unavailable. @defaultValue 2000 */
        connectTimeoutMs: z.number().int().min(100).max(60_000).default(2000),
        /** The database cancels a statement running longer than this; 0 = never. @defaultValue 15000 */
        statementTimeoutMs: z.number().int().min(0).default(15_000),
      })
      .prefault({}),
    node: z
      .object({
        /**
         * This gateway process's name in a deployment: leases and slots are held in its name,
         * and a restart under the same id re-attaches its own live renders. @defaultValue the host name
         */
        id: z.string().regex(/^[\w.:@-]{1,100}$/).optional(),
      })
      .prefault({}),
    /** The avatar and voice library (docs/avatars.md). */
    library: z
      .object({
        /** Register library voices through the TTS container's /v1/preprocess_and_tran (engine heygem; first slot's TTS). @defaultValue false */
        preprocessVoices: z.boolean().default(false),
        /** Language sent to /v1/preprocess_and_tran. @defaultValue en */
        preprocessLang: z.enum(['en', 'zh']).default('en'),
        /** Length of a voice's playable sample. @defaultValue 8 s */
        sampleSeconds: z.number().positive().max(60).default(8),
      })
      .strict()
      .prefault({}),
    /** Library items used when a request brings no face / voice (docs/avatars.md); unset = the bundled ones. */
    defaults: z
      .object({
        avatarId: z.string().regex(/^av_[0-9a-z]{26}$/, 'expected an avatar id (av_…)').optional(),
        voiceId: z.string().regex(/^vo_[0-9a-z]{26}$/, 'expected a voice id (vo_…)').optional(),
      })
      .strict()
      .prefault({}),
    /** Publishing finished videos to Vimeo / S3-compatible storage (docs/publishing.md). Credentials never go here. */
    publish: publishSchema,
    /** Signed webhooks: per-task callback_url and per-key endpoints (docs/webhooks.md). */
    webhooks: webhooksSchema,
    /** Usage per API key (docs/templates.md, "Usage"). */
    usage: z
      .object({
        /**
         * Monthly budgets (calendar month, UTC) by API key id: a submit that would cross one is
         * refused with 429 budget_exceeded. `heygem-gateway keys budget` sets one in the database,
         * which then replaces the key's entry here. @defaultValue {} (no budgets)
         */
        budgets: z
          .record(
            z.string().regex(/^[0-9a-f]{12}$/, 'expected an API key id (12 hex digits, `keys list`)'),
            z.object({ maxVideoSecondsPerMonth: z.number().min(0).optional(), maxGpuSecondsPerMonth: z.number().min(0).optional() }).strict(),
          )
          .default({}),
      })
      .strict()
      .prefault({}),
    /** trace | debug | info | warn | error | fatal | silent. @defaultValue info */
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .strict();

export type GatewayConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
