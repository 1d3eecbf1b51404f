/**
 * Who is asking, and which tasks they may see. A task belongs to the API key that created it;
 * only that key (or an admin key) sees it. With auth off there are no keys and everyone sees
 * everything — the embedded single-user setup on loopback.
 */
import type { FastifyRequest } from 'fastify';
import type { Task } from '../domain/task.js';
import { hasScope, type ApiKey } from '../security/api-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated key; null when auth is off (or the route is public). */
    apiKey: ApiKey | null;
  }
}

/** Owner filter for lists: undefined = all tasks (auth off, or an admin key). */
export function ownerFilter(req: FastifyRequest): string | undefined {
  const key = req.apiKey;
  if (!key || hasScope(key, 'admin')) return undefined;
  return key.id;
}

export function canSee(req: FastifyRequest, task: Pick<Task, 'owner'>): boolean {
  const owner = ownerFilter(req);
  return owner === undefined || task.owner === owner;
}

/** The owner recorded on a new task. */
export function ownerOf(req: FastifyRequest): string | null {
  return req.apiKey?.id ?? null;
}
