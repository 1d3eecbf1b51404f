/**
 * The layer rule (docs/architecture.md), checked on the import graph of src/: layers point down
 * (cli → http → gateway.ts → features, runner, stores, engines… → domain), no module takes
 * part in an import cycle, and no product module imports test code (it would ship in dist/).
 * Unit tests beside the code are not part of the product's graph.
 */
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, importsOutside, layerOf, upwardImports } from './helpers/import-graph.js';

const isTest = (rel: string) => /\.test\.tsx?$/.test(rel);
const graph = importGraph('src', isTest);

/**
 * What the engine (scheduler, slot runner, pipeline, attempt port) may import: the tasks module
 * and the adapters below it. Features (segments, library, checks, telemetry, language, runners…)
 * are reached through the ports runner/ declares (runner/ports.ts, work-source.ts, attempt.ts,
 * admission.ts, cluster.ts) and are wired in by the composition roots.
 */
const RUNNER_MAY_IMPORT = ['domain', 'tasks', 'store', 'engines', 'media', 'text', 'config', 'logger.ts'];

describe('the import graph of src/', () => {
  it('has no import cycle', () => {
    expect(cycles(graph.edges)).toEqual([]);
  });

  it('has no import from a lower layer into http/, cli/ or the composition root', () => {
    expect(upwardImports(graph.edges)).toEqual([]);
  });

  it('lets runner/ depend on ports it declares, not on features', () => {
    expect(importsOutside(graph.edges, 'runner', RUNNER_MAY_IMPORT)).toEqual([]);
  });

  it('holds no test code: no product module imports vitest or anything under test/', () => {
    const testCode = [...graph.edges].flatMap(([m, targets]) => [
      ...targets.filter((t) => t.startsWith('../')).map((t) => `${m} → ${t}`),
      ...(graph.packages.get(m) ?? []).filter((p) => p === 'vitest' || p.startsWith('vitest/')).map((p) => `${m} → ${p}`),
    ]);
    expect(testCode).toEqual([]);
  });

  it('covers the whole product (the check reads real imports)', () => {
    expect(graph.edges.size).toBeGreaterThan(100);
    expect(graph.edges.get('cli/serve.command.ts')).toContain('gateway.ts');
    expect(graph.edges.get('http/app.ts')).toContain('gateway.ts');
  });
});

describe('the checks themselves', () => {
  const g = (o: Record<string, string[]>) => new Map(Object.entries(o));

  it('find a cycle of any length, and a module importing itself', () => {
    expect(cycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']]);
    expect(cycles(g({ a: ['a'] }))).toEqual([['a']]);
    expect(cycles(g({ a: ['b'], b: [] }))).toEqual([]);
  });

  it('name the layers and refuse an upward import', () => {
    expect(['cli/main.ts', 'http/routes/x.ts', 'gateway.ts', 'batches/x.ts', 'logger.ts', 'domain/task.ts'].map(layerOf)).toEqual(['cli', 'http', 'root', 'core', 'core', 'domain']);
    const edges = g({ 'http/a.ts': ['gateway.ts', 'batches/b.ts'], 'gateway.ts': ['batches/b.ts'], 'batches/b.ts': ['http/a.ts', 'domain/d.ts'], 'domain/d.ts': ['batches/b.ts'] });
    expect(upwardImports(edges)).toEqual(['batches/b.ts → http/a.ts', 'domain/d.ts → batches/b.ts']);
  });

  it('refuse an import of runner/ into a feature, and allow its own folder and the allowed ones', () => {
    const edges = g({ 'runner/a.ts': ['runner/b.ts', 'tasks/t.ts', 'logger.ts', 'segments/s.ts'], 'runner/b.ts': ['runners/holder.ts'], 'segments/s.ts': ['runner/a.ts'], 'tasks/t.ts': [], 'logger.ts': [], 'runners/holder.ts': [] });
    expect(importsOutside(edges, 'runner', ['tasks', 'logger.ts'])).toEqual(['runner/a.ts → segments/s.ts', 'runner/b.ts → runners/holder.ts']);
  });
});
