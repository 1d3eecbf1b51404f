/**
 * heygem-gateway CLI: serve | simulate | doctor | generate | tasks | keys.
 * One binary for the service and its operator tools.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load.js';

const USAGE = `Usage: heygem-gateway <command> [options]

Commands:
  serve     [--config file] [--grace-ms n]  run the gateway (HTTP API + scheduler)
  keys      create --name x --scopes submit,read[,admin] | list | revoke <id>   [--config file]
                                   manage API keys (tokens stored hashed in the database)
  doctor    [--config file]        check ffmpeg, espeak-ng, data dirs, disk, database, every container, nvidia-smi
  generate  "text" [--video f.mp4] [-o out.mp4] [--url http://127.0.0.1:5003] [--key token]
                                   submit to a running gateway, follow it live, download the MP4
  tasks     [--status s] [--limit n] [--url …] [--key token]   list recent tasks
  worker    [--config file] [--grace-ms n]  drive this host's slots from a shared Redis store (no HTTP)
  simulate  [--gpus 3] [--dir ./data/sim] [--video-port 8390] [--tts-port 18182] [--render-ms 3000] [--tts-ms 1000]
                                   run fake HeyGem containers on loopback (demos, benchmarks)

Environment: HEYGEM_GATEWAY_URL and HEYGEM_GATEWAY_KEY (generate, tasks), HEYGEM_GATEWAY_CONFIG, PORT, HOST, DATA_DIR, HEYGEM_GATEWAY_ENGINE, LOG_LEVEL
`;

type Handler = (args: string[]) => Promise<void>;

/** Where the client commands find the gateway: --url/--key, else the environment, else localhost. */
function client(v: { url?: string; key?: string }): { url: string; apiKey?: string } {
  return { url: v.url ?? process.env.HEYGEM_GATEWAY_URL ?? 'http://127.0.0.1:5003', apiKey: v.key ?? process.env.HEYGEM_GATEWAY_KEY };
}

const commands: Record<string, Handler> = {
  serve: async (args) => {
    const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' }, 'grace-ms': { type: 'string' } } });
    const { serve } = await import('./serve.command.js'); // commands load lazily: fast start, few deps
    await serve({ config: values.config, graceMs: values['grace-ms'] ? Number(values['grace-ms']) : undefined });
  },
  keys: async (args) => {
    const { keys } = await import('./keys.command.js');
    await keys(args);
  },
  doctor: async (args) => {
    const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } } });
    const { doctor } = await import('./doctor.command.js');
    await doctor({ config: values.config });
  },
  generate: async (args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { video: { type: 'string' }, output: { type: 'string', short: 'o' }, url: { type: 'string' }, key: { type: 'string' }, 'poll-ms': { type: 'string' } },
    });
    if (!positionals.length) throw new Error('generate needs the text to speak: generate "Hello world"');
    const { generate } = await import('./generate.command.js');
    await generate({ ...client(values), text: positionals.join(' '), video: values.video, out: values.output, pollMs: values['poll-ms'] ? Number(values['poll-ms']) : undefined });
  },
  tasks: async (args) => {
    const { values } = parseArgs({ args, options: { status: { type: 'string' }, limit: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' } } });
    const { tasks } = await import('./tasks.command.js');
    await tasks({ ...client(values), status: values.status, limit: values.limit ? Number(values.limit) : undefined });
  },
  worker: async (args) => {
    const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' }, 'grace-ms': { type: 'string' } } });
    const { worker } = await import('./worker.command.js');
    await worker({ config: values.config, graceMs: values['grace-ms'] ? Number(values['grace-ms']) : undefined });
  },
  simulate: async (args) => {
    const { values } = parseArgs({
      args,
      options: {
        gpus: { type: 'string', default: '3' },
        dir: { type: 'string', default: './data/sim' },
        'video-port': { type: 'string', default: '8390' },
        'tts-port': { type: 'string', default: '18182' },
        'render-ms': { type: 'string', default: '3000' },
        'tts-ms': { type: 'string' },
      },
    });
    const { simulate } = await import('./simulate.command.js');
    await simulate({
      gpus: Number(values.gpus),
      dir: values.dir!,
      videoBasePort: Number(values['video-port']),
      ttsBasePort: Number(values['tts-port']),
      renderMs: Number(values['render-ms']),
      ttsMs: values['tts-ms'] ? Number(values['tts-ms']) : undefined,
    });
  },
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    await cmd(rest);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`heygem-gateway ${name}: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv.slice(2));
