/**
 * GET /api/events — server-sent events: one `task` event per task change (state or progress),
 * a `hello` on connect, and a comment heartbeat so proxies keep the stream open.
 * Clients that cannot use SSE poll /api/status and /api/queue instead.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import type { TaskChange } from '../../tasks/lifecycle.js';
import { canSee } from '../access.js';
import { presentSummary } from '../../domain/presenters.js';
import { access } from '../security.js';

const HEARTBEAT_MS = 15_000;

export function registerEventsRoute(app: FastifyInstance, gw: Gateway): void {
  // Hijacked streams are not closed by app.close(): end them ourselves so shutdown never waits
  // on a browser tab.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get('/api/events', { config: access('read', { tokenInQuery: true }), schema: { tags: ['tasks'], summary: 'Live task changes (text/event-stream)' } }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('hello', { at: new Date(gw.clock.now()).toISOString() });
    // A key sees only its own tasks (or all, with admin / auth off).
    const onChange = ({ task }: TaskChange) => {
      if (canSee(req, task)) send('task', presentSummary(task, null, gw.clock.now()));
    };
    gw.lifecycle.on('change', onChange);
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(beat);
      gw.lifecycle.off('change', onChange);
      open.delete(end);
    };
    const end = () => {
      close();
      res.end();
    };
    open.add(end);
    req.raw.on('close', close);
    res.on('error', close);
  });
}
