import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { access, declareScope, requireAccessDeclarations } from './security.js';

describe('route access declarations', () => {
  it('refuses to start with a route that declares no access', async () => {
    const app = Fastify();
    requireAccessDeclarations(app);
    app.get('/api/a', { config: access('read') }, async () => 'a');
    app.get('/api/forgotten', async () => 'b');
    await expect(app.ready()).rejects.toThrow(/GET \/api\/forgotten/);
  });

  it('starts when every route declares one, also through a plugin-wide declaration', async () => {
    const app = Fastify();
    requireAccessDeclarations(app);
    app.get('/api/a', { config: access('submit', { createsWork: true }) }, async () => 'a');
    await app.register(async (docs) => {
      declareScope(docs, 'public');
      docs.get('/docs/x', async () => 'x');
      docs.get('/docs/own', { config: access('admin') }, async (req) => req.routeOptions.config.access?.scope);
    });
    await app.ready();
    expect((await app.inject({ url: '/docs/own' })).body).toBe('admin');
    await app.close();
  });
});
