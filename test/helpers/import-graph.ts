/**
 * The import graph of src/ and the layer rule checked on it (docs/architecture.md). Imports are
 * read with TypeScript's own pre-processor (static, type-only, re-exports and `import()`), so
 * nothing is executed and no extra package is needed. Only relative imports are edges; packages
 * and node: modules are not part of the graph.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Module (path relative to the root, with '/') → the modules it imports, and its package imports. */
export interface ImportGraph {
  edges: Map<string, string[]>;
  packages: Map<string, string[]>;
}

const isSource = (name: string) => /\.tsx?$/.test(name) && !/\.d\.ts$/.test(name);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : isSource(e) ? [p] : [];
  });
}

/** `./x.js` as written in NodeNext sources → the .ts/.tsx file it names (or the path as is). */
function resolveImport(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  for (const c of [`${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts'), base]) if (existsSync(c) && statSync(c).isFile()) return c;
  return base;
}

/** Every source file under `root` except those `skip` names (e.g. unit tests beside the code). */
export function importGraph(root: string, skip: (rel: string) => boolean = () => false): ImportGraph {
  const edges = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  for (const file of walk(root)) {
    const name = rel(file);
    if (skip(name)) continue;
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const specs = info.importedFiles.map((i) => i.fileName);
    edges.set(name, specs.filter((s) => s.startsWith('.')).map((s) => rel(resolveImport(file, s))));
    packages.set(name, specs.filter((s) => !s.startsWith('.')));
  }
  return { edges, packages };
}

/** Strongly connected components with more than one module (or a module importing itself): the cycles. */
export function cycles(edges: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(scc.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * The layer of a module of src/, from the top: the CLI, the HTTP layer, the composition root
 * (gateway.ts), then everything else (features, the runner, stores, engines, media, text,
 * config), with domain/ at the bottom.
 */
export type Layer = 'cli' | 'http' | 'root' | 'core' | 'domain';
const RANK: Record<Layer, number> = { cli: 4, http: 3, root: 2, core: 1, domain: 0 };

export function layerOf(module: string): Layer {
  if (module === 'gateway.ts') return 'root';
  const top = module.split('/')[0];
  return top === 'cli' || top === 'http' || top === 'domain' ? top : 'core';
}

/**
 * Imports that break the layer rule: a module may import its own layer or a lower one, never a
 * higher one (so domain/ imports nothing outside itself).
 */
export function upwardImports(edges: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, targets] of edges) {
    for (const to of targets) {
      if (!edges.has(to)) continue; // outside the graph (e.g. a skipped test file)
      if (RANK[layerOf(to)] > RANK[layerOf(from)]) out.push(`${from} → ${to}`);
    }
  }
  return out;
}

/**
 * Imports of the modules under `folder/` into anything but `allowed` (folders, or single
 * modules such as `logger.ts`): e.g. runner/ may use the tasks module and the adapters, and
 * reaches features only through ports it declares.
 */
export function importsOutside(edges: Map<string, string[]>, folder: string, allowed: readonly string[]): string[] {
  const inside = (m: string, where: string) => m === where || m.startsWith(`${where}/`);
  const out: string[] = [];
  for (const [from, targets] of edges) {
    if (!inside(from, folder)) continue;
    for (const to of targets) if (edges.has(to) && !inside(to, folder) && !allowed.some((a) => inside(to, a))) out.push(`${from} → ${to}`);
  }
  return out;
}
