/**
 * The LibraryStore contract, run against every adapter (library-store.test.ts): SQLite and
 * PostgreSQL. Each test gets a fresh, empty store.
 */
import { expect, it } from 'vitest';
import type { Avatar, Voice } from '../../src/library/library.js';
import type { LibraryStore } from '../../src/library/library-store.js';

const hash = (c: string) => c.repeat(64).slice(0, 64);

export function avatar(id: string, o: Partial<Avatar> = {}): Avatar {
  return {
    id,
    kind: 'avatar',
    owner: null,
    shared: false,
    name: `face ${id}`,
    contentHash: hash('a'),
    data: { faceKey: `library/avatars/${id}/face.mp4`, posterKey: 'p', previewKey: 'v', bytes: 1234, durationSec: 2.5, width: 320, height: 240, voiceId: null, transcoded: false },
    createdAt: 1000,
    updatedAt: 1000,
    ...o,
  };
}

export function voice(id: string, o: Partial<Voice> = {}): Voice {
  return {
    id,
    kind: 'voice',
    owner: null,
    shared: false,
    name: `voice ${id}`,
    contentHash: hash('b'),
    data: { audioKey: 'a.wav', originalKey: 'a.wav', sampleKey: 's.wav', durationSec: 3, referenceText: '你好 — hello', source: 'audio', sourceAvatarId: null, preprocessed: false },
    createdAt: 1000,
    updatedAt: 1000,
    ...o,
  };
}

export function libraryStoreConformance(make: () => Promise<LibraryStore>): void {
  it('stores an item and reads it back exactly (JSON data, booleans, times)', async () => {
    const s = await make();
    const a = avatar('av_1', { owner: 'key1', shared: true, createdAt: 1_700_000_000_123, updatedAt: 1_700_000_000_456 });
    await s.insert(a);
    expect(await s.get('av_1')).toEqual(a);
    expect(await s.get('nope')).toBeUndefined();
    await expect(s.insert(a)).rejects.toThrow(); // ids are unique
    await s.close();
  });

  it('lists one kind newest first, paged, with the total; a key sees its own and shared items', async () => {
    const s = await make();
    for (let i = 0; i < 5; i++) await s.insert(avatar(`av_${i}`, { owner: i % 2 ? 'alice' : 'bob', createdAt: 100 + i }));
    await s.insert(avatar('av_s', { owner: 'carol', shared: true, createdAt: 50 }));
    await s.insert(voice('vo_1', { owner: 'alice', createdAt: 200 }));
    const all = await s.list({ kind: 'avatar', limit: 3, offset: 0 });
    expect(all.total).toBe(6);
    expect(all.items.map((i) => i.id)).toEqual(['av_4', 'av_3', 'av_2']);
    expect((await s.list({ kind: 'avatar', limit: 10, offset: 3 })).items.map((i) => i.id)).toEqual(['av_1', 'av_0', 'av_s']);
    const alice = await s.list({ kind: 'avatar', visibleTo: 'alice', limit: 10, offset: 0 });
    expect(alice).toEqual({ total: 3, items: [expect.objectContaining({ id: 'av_3' }), expect.objectContaining({ id: 'av_1' }), expect.objectContaining({ id: 'av_s' })] });
    expect((await s.list({ kind: 'voice', visibleTo: 'bob', limit: 10, offset: 0 })).total).toBe(0);
    expect((await s.list({ kind: 'voice', limit: 10, offset: 0 })).items.map((i) => i.id)).toEqual(['vo_1']);
    await s.close();
  });

  it('updates name, shared flag and data; deletes; unknown ids change nothing', async () => {
    const s = await make();
    await s.insert(voice('vo_1'));
    const next = await s.update('vo_1', { name: 'Bob', shared: true }, 2000);
    expect(next).toMatchObject({ name: 'Bob', shared: true, updatedAt: 2000, createdAt: 1000 });
    const data = { ...(next!.data as Voice['data']), referenceText: 'new' };
    await s.update('vo_1', { data }, 3000);
    expect(await s.get('vo_1')).toMatchObject({ name: 'Bob', shared: true, updatedAt: 3000, data: { referenceText: 'new' } });
    expect(await s.update('vo_x', { name: 'x' }, 1)).toBeUndefined();
    expect(await s.delete('vo_1')).toBe(true);
    expect(await s.delete('vo_1')).toBe(false);
    expect(await s.get('vo_1')).toBeUndefined();
    await s.close();
  });

  it('knows every content hash still in the library', async () => {
    const s = await make();
    await s.insert(avatar('av_1'));
    await s.insert(avatar('av_2')); // same face registered twice: one hash
    await s.insert(voice('vo_1'));
    expect((await s.contentHashes()).sort()).toEqual([hash('a'), hash('b')]);
    await s.delete('av_1');
    expect((await s.contentHashes()).sort()).toEqual([hash('a'), hash('b')]);
    await s.delete('av_2');
    expect(await s.contentHashes()).toEqual([hash('b')]);
    await s.close();
  });

  it('records which items a task uses and finds the users of an item among given tasks', async () => {
    const s = await make();
    await s.attachTask('t1', { avatarId: 'av_1', voiceId: 'vo_1' }, 1);
    await s.attachTask('t2', { avatarId: 'av_1', voiceId: null }, 1);
    await s.attachTask('t3', { avatarId: null, voiceId: 'vo_1' }, 1);
    expect(await s.taskRefs('t2')).toEqual({ avatarId: 'av_1', voiceId: null });
    expect(await s.taskRefs('t9')).toBeUndefined();
    await s.attachTask('t2', { avatarId: 'av_2', voiceId: null }, 2); // a re-submit replaces
    expect(await s.taskRefs('t2')).toEqual({ avatarId: 'av_2', voiceId: null });
    expect((await s.usersAmong('av_1', ['t1', 't2', 't3'])).sort()).toEqual(['t1']);
    expect((await s.usersAmong('vo_1', ['t1', 't3', 'tx'])).sort()).toEqual(['t1', 't3']);
    expect(await s.usersAmong('vo_1', [])).toEqual([]);
    expect([...(await s.avatarsOf(['t1', 't2', 't3', 'tx'])).entries()].sort()).toEqual([['t1', 'av_1'], ['t2', 'av_2']]);
    // many live tasks: looked up in chunks
    const many = Array.from({ length: 1200 }, (_, i) => `m${i}`);
    for (const id of ['m5', 'm700', 'm1199']) await s.attachTask(id, { avatarId: 'av_9', voiceId: null }, 3);
    expect((await s.usersAmong('av_9', many)).sort()).toEqual(['m1199', 'm5', 'm700']);
    await s.close();
  });
}

