/**
 * Output options on batch rows (docs/output.md): CSV columns (and JSON row keys) `aspect`,
 * `resolution`, `format`, `caption_style`, … are the generate fields of that row; a bad one names
 * its row and column and nothing is stored; the columns are not metadata.
 */
import { describe, expect, it } from 'vitest';
import { scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

type Json = Record<string, any>;
const gateway = scriptedGatewaysClosedAfterEach();

const post = async (url: string, csv: string) => {
  const res = await fetch(`${url}/api/batches`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
  return { status: res.status, body: (await res.json()) as Json };
};

describe('batch rows with output options', () => {
  it('a bad output cell names its row and column, and nothing is queued', async () => {
    const { t } = await gateway({}, { script: { renderMs: 60_000 } });
    const bad = await post(t.url, 'text,aspect,format,caption_style\nOne.,9:16,webm,bold-box\nTwo.,3:2,mp4,\nThree.,1:1,mp4,nope\n');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('batch_rows_invalid');
    expect(bad.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'aspect', code: 'output_invalid' })]);
    const style = await post(t.url, 'text,caption_style\nOne.,bold-box\n二。,nope\n');
    expect(style.status).toBe(400);
    expect(style.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'caption_style', code: 'caption_style_invalid' })]);
    expect((await t.gw.store.list({ limit: 5 })).total).toBe(0);
  });

  it('each row\'s options go with its task; the columns are not metadata', async () => {
    const { t } = await gateway({}, { script: { renderMs: 60_000 } });
    const ok = await post(t.url, 'text,aspect,format,caption_style,campaign\nFor the shorts.,9:16,webm,bold-box,spring\n这款手机售价2999元。,,,zh-default,spring\n');
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
    const batch = (await (await fetch(`${t.url}/api/batches/${ok.body.batch_id ?? ok.body.id}`)).json()) as Json;
    const ids: string[] = batch.rows.map((r: Json) => r.task_id);
    const [a, b] = await Promise.all(ids.map((id) => t.gw.store.get(id)));
    expect(a!.outputOptions).toMatchObject({ aspect: '9:16', format: 'webm' });
    expect(a!.captionStyle).toMatchObject({ name: 'bold-box', box: true });
    expect(b!.outputOptions).toBeNull();
    expect(b!.captionStyle).toMatchObject({ name: 'zh-default', font: 'Noto Sans CJK SC' });
    expect(batch.rows[0].metadata).toEqual({ campaign: 'spring' });
  });
});
