/**
 * heygem-gateway CLI: serve | keys | doctor | generate | slots | tasks | worker | runner | runners | simulate.
 * One binary for the service and its operator tools. Every command answers `--help`; wrong usage
 * exits 2 with the command's usage, a failure exits 1 with a message that says what to do.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/load.js';
import { gatewayTarget } from './client.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  summary: string;
  usage: string;
  options: Options;
  positionals?: boolean;
  run(values: Values, positionals: string[], args: string[]): Promise<void>;
}

const CONFIG_OPT = { config: { type: 'string', short: 'c' } } as const;
const CLIENT_OPTS = { url: { type: 'string' }, key: { type: 'string' } } as const;
const CONFIG_HELP = `  -c, --config <file>   YAML or JSON config (default: HEYGEM_GATEWAY_CONFIG, else built-in defaults)`;
const CLIENT_HELP = `  --url <url>           the gateway (default: HEYGEM_GATEWAY_URL, else http://127.0.0.1:$PORT, else http://127.0.0.1:5003)
  --key <token>         API key when auth is on (default: HEYGEM_GATEWAY_KEY)`;

const num = (v: string | boolean | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} expects a number, got "${String(v)}"`);
  return n;
};
const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

class UsageError extends Error {}

const commands: Record<string, Command> = {
  serve: {
    summary: 'run the gateway (HTTP API, web UI, scheduler)',
    usage: `heygem-gateway serve [--config file] [--grace-ms n]

Runs the HTTP API (port from config or PORT, default 5003), the web UI and one runner per slot.
SIGTERM/SIGINT: stop accepting, let running tasks finish within the grace, then exit.

${CONFIG_HELP}
  --grace-ms <n>        how long a shutdown waits for running tasks (default server.shutdownGraceMs)`,
    options: { ...CONFIG_OPT, 'grace-ms': { type: 'string' } },
    run: async (v) => {
      const { serve } = await import('./serve.command.js'); // commands load lazily: fast start, few deps
      await serve({ config: str(v.config), graceMs: num(v['grace-ms'], 'grace-ms') });
    },
  },
  keys: {
    summary: 'manage API keys (tokens stored hashed in the database)',
    usage: `heygem-gateway keys create --name <name> [--scopes submit,read[,admin]] [--config file] [--json]
heygem-gateway keys list [--config file] [--json]
heygem-gateway keys revoke <id> [--config file]

Works while the server runs (keys are read from the database on every request).

${CONFIG_HELP}
  --name <name>         a label for the key (create)
  --scopes <list>       comma-separated: submit, read, admin (create; default submit,read)
  --json                machine-readable output`,
    options: { ...CONFIG_OPT, name: { type: 'string' }, scopes: { type: 'string' }, json: { type: 'boolean' } },
    positionals: true,
    run: async (_v, _p, args) => {
      const { keys } = await import('./keys.command.js');
      await keys(args);
    },
  },
  doctor: {
    summary: 'check ffmpeg, espeak-ng, data dirs, disk, database, every container, nvidia-smi',
    usage: `heygem-gateway doctor [--config file]

Prints PASS/WARN/FAIL per dependency with the fix for each failure; exits 1 when any check fails.

${CONFIG_HELP}`,
    options: { ...CONFIG_OPT },
    run: async (v) => {
      const { doctor } = await import('./doctor.command.js');
      await doctor({ config: str(v.config) });
    },
  },
  generate: {
    summary: 'submit text to a running gateway, follow it live, download the MP4',
    usage: `heygem-gateway generate "text to speak" [--video face.mp4] [-o out.mp4] [--url url] [--key token]

Submits the text (and optionally a face video whose voice is cloned), shows live progress and
saves the finished MP4 (default <task id>.mp4).

  --video <file>        face video (mp4, avi, mov, mkv); default: the gateway's default face and voice
  -o, --output <file>   where to save the MP4
  --poll-ms <n>         status poll interval (default 500)
  --timeout-ms <n>      stop following after this long (default 1 hour; the task goes on)
  --captions <burn|off> burn the captions into the MP4 (the .srt is saved next to it either way)
  --language <auto|zh|en> language of the text (default auto: detected from the text)
Long scripts are split into segments rendered on every GPU; their progress is shown per segment.
${CLIENT_HELP}`,
    options: { ...CLIENT_OPTS, video: { type: 'string' }, output: { type: 'string', short: 'o' }, 'poll-ms': { type: 'string' }, 'timeout-ms': { type: 'string' }, captions: { type: 'string' }, language: { type: 'string' } },
    positionals: true,
    run: async (v, positionals) => {
      if (!positionals.length) throw new UsageError('generate needs the text to speak, e.g. heygem-gateway generate "Hello world"');
      const { generate } = await import('./generate.command.js');
      await generate({ ...gatewayTarget({ url: str(v.url), key: str(v.key) }), text: positionals.join(' '), video: str(v.video), out: str(v.output), pollMs: num(v['poll-ms'], 'poll-ms'), timeoutMs: num(v['timeout-ms'], 'timeout-ms'), captions: str(v.captions), language: str(v.language) });
    },
  },
  slots: {
    summary: 'bring a degraded slot back into service (slots clear <id>)',
    usage: `heygem-gateway slots clear <id> [--url url] [--key token]

A slot whose results failed the output check in a row is degraded: it takes no work until a
probe render passes or this command clears it (admin key when auth is on). See docs/checks.md.
${CLIENT_HELP}`,
    options: { ...CLIENT_OPTS },
    positionals: true,
    run: async (v, positionals) => {
      const [action, id] = positionals;
      if (action !== 'clear' || id === undefined) throw new UsageError('usage: heygem-gateway slots clear <id>');
      const { slots } = await import('./slots.command.js');
      await slots({ ...gatewayTarget({ url: str(v.url), key: str(v.key) }), action, id });
    },
  },
  tasks: {
    summary: 'list recent tasks of a running gateway',
    usage: `heygem-gateway tasks [--status s] [--limit n] [--url url] [--key token]

  --status <s>          only tasks in this status (queued, processing, completed, failed, …)
  --limit <n>           how many (default 20)
${CLIENT_HELP}`,
    options: { ...CLIENT_OPTS, status: { type: 'string' }, limit: { type: 'string' } },
    run: async (v) => {
      const { tasks } = await import('./tasks.command.js');
      await tasks({ ...gatewayTarget({ url: str(v.url), key: str(v.key) }), status: str(v.status), limit: num(v.limit, 'limit') });
    },
  },
  worker: {
    summary: "drive this host's slots from a shared Redis store (no HTTP)",
    usage: `heygem-gateway worker [--config file] [--grace-ms n]

${CONFIG_HELP}
  --grace-ms <n>        how long a shutdown waits for running tasks (default 10000)`,
    options: { ...CONFIG_OPT, 'grace-ms': { type: 'string' } },
    run: async (v) => {
      const { worker } = await import('./worker.command.js');
      await worker({ config: str(v.config), graceMs: num(v['grace-ms'], 'grace-ms') });
    },
  },
  runner: {
    summary: "drive this host's slots for a remote gateway over HTTP(S) (no database, no shared disk)",
    usage: `heygem-gateway runner --server <url> [--token <runner token>] [--config slots.yaml] [--grace-ms n] [--poll-ms n]

Takes work from the gateway's runner API for the slots in the config (same slot config and
engines as serve) and uploads the results. Create the token on the gateway with
\`heygem-gateway runners create --name <name>\`. See docs/runners.md.

  --server <url>        the gateway, e.g. https://gw.example
  --token <token>       runner token (default: HEYGEM_RUNNER_TOKEN; prefer the variable: argv is visible to local users)
${CONFIG_HELP}
  --grace-ms <n>        how long a shutdown waits for running tasks (default server.shutdownGraceMs)
  --poll-ms <n>         how long one work request waits for work (long poll; default 20000)`,
    options: { ...CONFIG_OPT, server: { type: 'string' }, token: { type: 'string' }, 'grace-ms': { type: 'string' }, 'poll-ms': { type: 'string' } },
    run: async (v) => {
      const server = str(v.server);
      const token = str(v.token) ?? process.env.HEYGEM_RUNNER_TOKEN;
      if (!server || !/^https?:\/\//.test(server)) throw new UsageError('--server <url> is required (http:// or https://)');
      if (!token) throw new UsageError('a runner token is required: --token or HEYGEM_RUNNER_TOKEN');
      const { runner } = await import('./runner.command.js');
      await runner({ server, token, config: str(v.config), graceMs: num(v['grace-ms'], 'grace-ms'), pollWaitMs: num(v['poll-ms'], 'poll-ms') });
    },
  },
  runners: {
    summary: 'manage remote runner tokens (create, list, revoke)',
    usage: `heygem-gateway runners create --name <name> [--config file] [--json]
heygem-gateway runners list [--config file] [--json]
heygem-gateway runners revoke <id> [--config file]

${CONFIG_HELP}
  --name <name>         the runner's name (its identity; unique among active runners)
  --json                machine-readable output`,
    options: { ...CONFIG_OPT, name: { type: 'string' }, json: { type: 'boolean' } },
    positionals: true,
    run: async (_v, _p, args) => {
      const { runners } = await import('./runners.command.js');
      await runners(args);
    },
  },
  simulate: {
    summary: 'run protocol-exact fake HeyGem containers on loopback (demos, benchmarks)',
    usage: `heygem-gateway simulate [--gpus 3] [--dir ./data/sim] [--video-port 8390] [--tts-port 18182] [--render-ms 3000] [--tts-ms n]

Starts one fake video and one fake TTS container per GPU and prints the gateway config for them.

  --gpus <n>            how many GPU pairs (default 3)
  --dir <dir>           where their data dirs go (default ./data/sim)
  --video-port <n>      first video port (default 8390; GPU n uses port + n)
  --tts-port <n>        first TTS port (default 18182)
  --render-ms <n>       simulated render time (default 3000)
  --tts-ms <n>          simulated speech time
  --length-error-frames=<list>
                        results off their speech by a frame count drawn from the list, as real
                        lip-sync containers return them (=-2,-1,1,2,3,4,5); default exact
  --no-asr              no ASR container: /v1/preprocess_and_tran fails, as without heygem-asr
  --spoil <list>        GPUs whose results come back spoiled, e.g. 1:black,2:silent (black,
                        frozen, silent or drift): the gateway's output check refuses them`,
    options: {
      'length-error-frames': { type: 'string' },
      'no-asr': { type: 'boolean', default: false },
      spoil: { type: 'string' },
      gpus: { type: 'string', default: '3' },
      dir: { type: 'string', default: './data/sim' },
      'video-port': { type: 'string', default: '8390' },
      'tts-port': { type: 'string', default: '18182' },
      'render-ms': { type: 'string', default: '3000' },
      'tts-ms': { type: 'string' },
    },
    run: async (v) => {
      const { simulate, spoilList } = await import('./simulate.command.js');
      await simulate({
        gpus: num(v.gpus, 'gpus')!,
        dir: str(v.dir)!,
        videoBasePort: num(v['video-port'], 'video-port')!,
        ttsBasePort: num(v['tts-port'], 'tts-port')!,
        renderMs: num(v['render-ms'], 'render-ms')!,
        ttsMs: num(v['tts-ms'], 'tts-ms'),
        lengthErrorFrames: frameList(str(v['length-error-frames'])),
        asr: !v['no-asr'],
        spoil: spoilList(str(v.spoil)),
      });
    },
  },
};

/** `-2,-1,1,3` → [-2, -1, 1, 3]; a bad entry stops the command with a message. */
function frameList(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const list = v.split(',').map((x) => Number(x.trim()));
  if (!list.length || list.some((n) => !Number.isInteger(n))) throw new UsageError(`--length-error-frames: whole frame counts separated by commas, not "${v}"`);
  return list;
}

export const USAGE = `Usage: heygem-gateway <command> [options]      (heygem-gateway <command> --help for its options)

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

From a clone, run it as \`npx heygem-gateway …\` or \`npm run cli -- …\` (\`npm start\` = serve).

Environment: HEYGEM_GATEWAY_URL, HEYGEM_GATEWAY_KEY (generate, tasks); HEYGEM_GATEWAY_CONFIG, PORT,
HOST, DATA_DIR, HEYGEM_GATEWAY_ENGINE, LOG_LEVEL, LOG_FORMAT=json|pretty (serve; PORT and HOST
also tell generate and tasks where the gateway is)
`;

export function commandUsage(name: string): string | undefined {
  const c = commands[name];
  return c && `Usage: ${c.usage}\n\n  -h, --help            this help\n`;
}

/** Before `--`, is help asked for? (So `generate --help` helps even without the text.) */
const wantsHelp = (args: string[]) => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    process.stdout.write(topic && commandUsage(topic) ? commandUsage(topic)! : USAGE);
    return;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(commandUsage(name)!);
    return;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: cmd.options, allowPositionals: cmd.positionals ?? false, strict: true });
    await cmd.run(values as Values, positionals, rest);
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else if (usage) process.stderr.write(`heygem-gateway ${name}: ${(err as Error).message}\n\n${commandUsage(name)}`);
    else process.stderr.write(`heygem-gateway ${name}: ${(err as Error).message}\n`);
    process.exitCode = err instanceof ConfigError || usage ? 2 : 1;
  }
}

await main(process.argv.slice(2));
