/**
 * The face detector: BlazeFace as packaged in @vladmandic/human (model files inside the npm
 * package, nothing downloaded at run time) on TensorFlow.js's WASM backend (CPU, SIMD; no
 * native TensorFlow, no GPU). Why this model: docs/checks.md. Loaded on first use and kept;
 * calls are queued one at a time, so memory stays one model and one frame.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FaceBox } from './face-verdict.js';

export interface RgbFrame {
  width: number;
  height: number;
  /** width × height × 3 bytes, RGB24. */
  rgb: Uint8Array;
}

/** The port the face check uses; tests may pass a scripted one. */
export interface FaceDetector {
  detect(frame: RgbFrame): Promise<FaceBox[]>;
}

/** The few members of Human's API used here (its type declarations pull in DOM types). */
interface HumanLike {
  load(): Promise<void>;
  detect(input: unknown): Promise<{ face: Array<{ boxRaw: [number, number, number, number]; boxScore: number }> }>;
  tf: { tensor4d(values: Uint8Array, shape: [number, number, number, number], dtype: 'int32'): { dispose(): void } };
}

interface TfIo {
  registerLoadRouter(router: (url: string | string[]) => unknown): void;
}

const require = createRequire(import.meta.url);
// The package's "exports" map names its subpaths without "./": resolve its main file (dist/),
// then load the WASM build and the models by path.
const humanDir = dirname(dirname(require.resolve('@vladmandic/human')));

export interface DetectorOptions {
  /** Least detector confidence for a face. */
  minConfidence: number;
}

export class HumanFaceDetector implements FaceDetector {
  private human: Promise<HumanLike> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: DetectorOptions) {}

  detect(frame: RgbFrame): Promise<FaceBox[]> {
    const run = this.queue.then(() => this.run(frame));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Load the model now (startup, benchmarks) instead of on the first upload. */
  async warm(): Promise<void> {
    await this.load();
  }

  private async run(frame: RgbFrame): Promise<FaceBox[]> {
    const human = await this.load();
    const input = human.tf.tensor4d(frame.rgb, [1, frame.height, frame.width, 3], 'int32');
    try {
      const result = await human.detect(input);
      return result.face.map((f) => ({ x: f.boxRaw[0], y: f.boxRaw[1], w: f.boxRaw[2], h: f.boxRaw[3], score: f.boxScore }));
    } finally {
      input.dispose();
    }
  }

  private load(): Promise<HumanLike> {
    if (!this.human) {
      this.human = this.create();
      this.human.catch(() => (this.human = null)); // a failed load is retried on the next upload
    }
    return this.human;
  }

  private async create(): Promise<HumanLike> {
    const tf = require('@tensorflow/tfjs-core') as { io: TfIo };
    tf.io.registerLoadRouter(fileRouter);
    const { Human } = require(join(humanDir, 'dist', 'human.node-wasm.js')) as { Human: new (config: unknown) => HumanLike };
    const human = new Human({
      backend: 'wasm',
      wasmPath: `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`,
      modelBasePath: `${pathToFileURL(join(humanDir, 'models')).href}/`,
      debug: false,
      async: false,
      warmup: 'none',
      cacheSensitivity: 0,
      cacheModels: false,
      face: {
        enabled: true,
        // scale 1: the box of the face itself, not Human's enlarged crop for its mesh model
        detector: { enabled: true, rotation: false, maxDetected: 10, minConfidence: this.o.minConfidence, minSize: 0, skipFrames: 0, scale: 1, return: false },
        mesh: { enabled: false }, iris: { enabled: false }, description: { enabled: false }, emotion: { enabled: false },
        antispoof: { enabled: false }, liveness: { enabled: false }, attention: { enabled: false },
      },
      body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false },
      segmentation: { enabled: false }, filter: { enabled: false },
    });
    await human.load();
    return human;
  }
}

/**
 * TensorFlow.js without its native Node binding has no `file://` loader (it would `fetch` the
 * model, which Node cannot do for files): read the model JSON and its weight shards from disk.
 */
function fileRouter(url: string | string[]): unknown {
  if (typeof url !== 'string' || !url.startsWith('file://')) return null;
  return {
    async load() {
      const path = fileURLToPath(url);
      const model = JSON.parse(await readFile(path, 'utf8')) as {
        modelTopology: unknown; format?: string; generatedBy?: string; convertedBy?: string; signature?: unknown; userDefinedMetadata?: unknown;
        weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
      };
      const shards: Buffer[] = [];
      for (const group of model.weightsManifest) for (const p of group.paths) shards.push(await readFile(join(dirname(path), p)));
      const data = Buffer.concat(shards);
      return {
        modelTopology: model.modelTopology, format: model.format, generatedBy: model.generatedBy, convertedBy: model.convertedBy,
        signature: model.signature, userDefinedMetadata: model.userDefinedMetadata,
        weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
        weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
      };
    },
  };
}
