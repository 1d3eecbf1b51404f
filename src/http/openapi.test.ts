import { describe, expect, it } from 'vitest';
import { documentRoute as documentRouteTyped } from './openapi.js';

// the result is read as plain JSON here
const documentRoute = (...a: Parameters<typeof documentRouteTyped>): Record<string, any> => documentRouteTyped(...a) as Record<string, any>;

describe('documentRoute (OpenAPI additions, docs only)', () => {
  it('never changes the route schema Fastify validates and serializes with', () => {
    const response = { 200: { type: 'object', properties: { a: { type: 'string' } } } };
    const schema = { tags: ['x'], docsBody: { content: {} }, response };
    const frozen = JSON.stringify(schema);
    const doc = documentRoute(schema, '/api/status/:id', 'GET', { scope: 'read' });
    expect(JSON.stringify(schema)).toBe(frozen);
    expect(doc.body).toEqual({ content: {} });
    expect(doc.docsBody).toBeUndefined();
    expect(doc.response[200].description).toBe('OK');
    expect(response[200]).not.toHaveProperty('description');
  });

  it('derives security and auth answers from the access the route declares', () => {
    const pub = documentRoute({}, '/api/health', 'GET', { scope: 'public' });
    expect(pub.security).toEqual([]);
    expect(pub.response[401]).toBeUndefined();
    const submit = documentRoute({}, '/api/generate', 'POST', { scope: 'submit', createsWork: true });
    expect(submit.security).toEqual([{ bearerAuth: [] }]);
    expect(submit.description).toContain('`submit` scope');
    expect(Object.keys(submit.response)).toEqual(expect.arrayContaining(['401', '403', '500']));
    const dl = documentRoute({ params: {} }, '/api/download/:id', 'GET', { scope: 'read', tokenInQuery: true });
    expect(dl.security).toEqual([{ bearerAuth: [] }, { accessToken: [] }]);
    expect(Object.keys(dl.response[200].content)).toEqual(['video/mp4', 'video/webm']);
    expect(dl.response[400]).toBeDefined();
    const metrics = documentRoute({}, '/metrics', 'GET', { scope: 'admin' });
    expect(metrics.description).toContain('`admin` scope');
  });

  it('leaves hidden routes alone', () => {
    expect(documentRoute({ hide: true }, '/', 'GET', { scope: 'public' })).toEqual({ hide: true });
  });
});
