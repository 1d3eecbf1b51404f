/**
 * POST /api/slots/:id/clear — an operator brings a degraded slot back (docs/checks.md,
 * "Known-bad containers"): its results failed the output check in a row, and the operator has
 * fixed or restarted its containers. `heygem-gateway slots clear <id>` calls it. Only the node
 * that drives the slot can clear it; another node answers 409 naming that node.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { Gateway } from '../../gateway.js';
import { errorBodySchema } from '../errors.js';
import { slotSchema } from '../schemas.js';
import { access } from '../security.js';
import { presentSlot } from './queue.route.js';

const params = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 0 } } } as const;

export function registerSlotRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post<{ Params: { id: number } }>(
    '/api/slots/:id/clear',
    {
      config: access('admin'),
      schema: {
        tags: ['system'],
        summary: 'Clear a degraded slot: it takes work again (admin)',
        params,
        response: {
          200: { type: 'object', description: 'The slot after clearing', properties: { slot: { type: 'integer' }, cleared: { type: 'boolean', description: 'false: it was not degraded' }, state: slotSchema } },
          404: { ...errorBodySchema, description: 'No such slot in the deployment' },
          409: { ...errorBodySchema, description: 'The slot is driven by another node: ask that node' },
        },
      },
    },
    async (req) => {
      const id = req.params.id;
      const runner = gw.scheduler.runners.find((r) => r.id === id);
      if (!runner) {
        const other = (await gw.cluster.slots()).find((s) => s.slotId === id);
        if (!other) throw new DomainError('slot_not_found', 'not_found', `No slot ${id} in the deployment`);
        throw new DomainError('slot_elsewhere', 'conflict', `Slot ${id} is driven by node "${other.nodeId}": clear it there`, { node: other.nodeId });
      }
      const cleared = runner.clearDegraded('operator');
      req.log.warn({ slot: id, cleared }, 'operator cleared a slot');
      const slot = (await gw.cluster.slots()).find((s) => s.slotId === id)!;
      return { slot: id, cleared, state: presentSlot(gw, slot) };
    },
  );
}
