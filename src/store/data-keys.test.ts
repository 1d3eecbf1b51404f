/**
 * Files by key: records hold data-dir-relative keys (new writes through withDataKeys, old rows
 * through the files-by-key migration, SQLite and PostgreSQL) and resolve against whatever
 * data dir the process runs with.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.js';
import { fromKey, toKey, withDataKeys } from './data-keys.js';
import { PostgresTaskStore } from './postgres.adapter.js';
import { MIGRATIONS as PG_MIGRATIONS } from './postgres.schema.js';
import { SqliteTaskStore } from './sqlite.adapter.js';
import { MIGRATIONS } from './sqlite.schema.js';

const OLD = '/srv/old place/work/data'; // a data dir whose own path has a "work" segment
const ID = '01hzzzzzzzzzzzzzzzzzzzzzzz';
const oldRow = {
  video_path: `${OLD}/uploads/${ID}.mov`,
  reference_audio: `${OLD}/work/${ID}/reference.wav`,
  audio_path: `${OLD}/outputs/${ID}.wav`,
  output_path: `${OLD}/outputs/${ID}.mp4`,
};
const keys = { videoPath: `uploads/${ID}.mov`, referenceAudio: `work/${ID}/reference.wav`, audioPath: `outputs/${ID}.wav`, outputPath: `outputs/${ID}.mp4` };

describe('files by key', () => {
  it('maps paths under the data dir to keys and back; other paths stay as they are', () => {
    expect(toKey('/data', '/data/outputs/a.mp4')).toBe('outputs/a.mp4');
    expect(toKey('/data', '/elsewhere/voice.wav')).toBe('/elsewhere/voice.wav');
    expect(toKey('/data', '/data-other/x.wav')).toBe('/data-other/x.wav');
    expect(fromKey('/new', 'outputs/a.mp4')).toBe('/new/outputs/a.mp4');
    expect(fromKey('/new', '/elsewhere/voice.wav')).toBe('/elsewhere/voice.wav');
  });

  it('SQLite: old absolute rows become keys; new writes are keys; reads resolve under the current data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-keys-'));
    const path = join(dir, 'gateway.db');
    const old = new Database(path);
    for (const m of MIGRATIONS.slice(0, 2)) old.exec(m);
    old.pragma('user_version = 2');
    old.prepare(`INSERT INTO tasks (id, state, text, created_at, updated_at, video_path, reference_audio, audio_path, output_path) VALUES (?, 'completed', 'x', 1, 1, ?, ?, ?, ?)`).run(ID, oldRow.video_path, oldRow.reference_audio, oldRow.audio_path, oldRow.output_path);
    old.prepare(`INSERT INTO tasks (id, state, text, created_at, updated_at, reference_audio) VALUES ('other', 'completed', 'x', 1, 1, '/opt/voices/default.wav')`).run();
    old.close();
    const raw = new SqliteTaskStore(path);
    expect(await raw.get(ID)).toMatchObject(keys);
    expect((await raw.get('other'))?.referenceAudio).toBe('/opt/voices/default.wav');
    const store = withDataKeys(raw, '/moved/data');
    expect(await store.get(ID)).toMatchObject({ videoPath: `/moved/data/uploads/${ID}.mov`, outputPath: `/moved/data/outputs/${ID}.mp4` });
    const t = await store.create({ id: '01haaaaaaaaaaaaaaaaaaaaaaa', text: 'y', createdAt: 2, videoPath: '/moved/data/uploads/01haaaaaaaaaaaaaaaaaaaaaaa.mp4' });
    expect(t.videoPath).toBe('/moved/data/uploads/01haaaaaaaaaaaaaaaaaaaaaaa.mp4');
    expect((await raw.get(t.id))?.videoPath).toBe('uploads/01haaaaaaaaaaaaaaaaaaaaaaa.mp4');
    await store.close();
  });

  describe('PostgreSQL', () => {
    let db: TestDatabase;
    afterAll(async () => db?.drop(), 120_000);

    it('the migration turns old absolute rows into keys', async () => {
      db = await createTestDatabase();
      const url = await db.freshSchemaUrl();
      const schema = new URL(url).searchParams.get('options')!.split('=')[1];
      await db.query(`SET search_path = ${schema}; ${PG_MIGRATIONS[0]}`);
      await db.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL); INSERT INTO ${schema}.schema_version VALUES (1, 0)`);
      await db.query(
        `INSERT INTO ${schema}.tasks (id, state, text, created_at, updated_at, available_at, video_path, reference_audio, audio_path, output_path) VALUES ($1, 'completed', 'x', 1, 1, 0, $2, $3, $4, $5)`,
        [ID, oldRow.video_path, oldRow.reference_audio, oldRow.audio_path, oldRow.output_path],
      );
      const store = await PostgresTaskStore.connect({ url, listen: false });
      try {
        expect(await store.get(ID)).toMatchObject(keys);
      } finally {
        await store.close();
      }
    }, 120_000);
  });
});
