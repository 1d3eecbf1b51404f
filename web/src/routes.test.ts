import { describe, expect, it } from 'vitest';
import { matchRoute, navKeyOf, ROUTES } from './routes';

describe('routes table', () => {
  it('matches each page by its hash', () => {
    expect(matchRoute('').route.key).toBe('create');
    expect(matchRoute('#/').route.key).toBe('create');
    expect(matchRoute('#/from/01jabcdefghjkmnpqrstvwxyz0')).toMatchObject({ route: { key: 'create' }, param: '01jabcdefghjkmnpqrstvwxyz0', fallback: false });
    expect(matchRoute('#/from/nope')).toMatchObject({ route: { key: 'create' }, fallback: true });
    expect(matchRoute('#/tasks').route.key).toBe('tasks');
    expect(matchRoute('#/farm').route.key).toBe('farm');
    expect(matchRoute('#/stats').route.key).toBe('stats');
    expect(matchRoute('#/avatars').route.key).toBe('avatars');
    expect(matchRoute('#/voices').route.key).toBe('voices');
    expect(matchRoute('#/batches').route.key).toBe('batches');
    expect(matchRoute('#/batches/01m86xa6d7zag18qm7fswres0k')).toMatchObject({ route: { key: 'batch' }, param: '01m86xa6d7zag18qm7fswres0k' });
    expect(matchRoute('#/tasks?status=failed&page=2')).toMatchObject({ route: { key: 'tasks' }, param: 'status=failed&page=2' });
    expect(matchRoute('#/tasks/01m86xa6d7zag18qm7fswres0k')).toMatchObject({ route: { key: 'task' }, param: '01m86xa6d7zag18qm7fswres0k' });
  });
  it('shows the Create page for unknown hashes, and a task under Tasks', () => {
    expect(matchRoute('#/nope')).toMatchObject({ route: { key: 'create' }, fallback: true });
    expect(matchRoute('#/tasks/not-an-id').fallback).toBe(true);
    expect(navKeyOf('task')).toBe('tasks');
    expect(navKeyOf('batch')).toBe('batches');
  });
  it('has one nav entry per top-level page', () => {
    expect(ROUTES.filter((r) => r.nav).map((r) => r.key)).toEqual(['create', 'tasks', 'avatars', 'voices', 'batches', 'templates', 'farm', 'stats', 'usage']);
    expect(ROUTES.filter((r) => r.nav).map((r) => r.nav!.href)).toEqual(['#/', '#/tasks', '#/avatars', '#/voices', '#/batches', '#/templates', '#/farm', '#/stats', '#/usage']);
  });
});
