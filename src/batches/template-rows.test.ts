import { describe, expect, it } from 'vitest';
import type { Template } from '../templates/template.js';
import { templateCsvRows, templateJsonRows } from './template-rows.js';

const limits = { maxRows: 100, maxTextChars: 1000, maxMetadataBytes: 4096 };
const template = (options: Record<string, string>): Template => ({ id: 't1', version: 3, owner: null, shared: false, name: 'Promo', script: '这款{{产品}}售价{{price}}元。', avatar_id: null, voice_id: null, language: 'auto', captions: null, options, createdAt: 0 });

describe('batch rows filled from a template', () => {
  it('carry the template\u2019s output and caption options on every row, CSV and JSON alike', () => {
    const t = template({ aspect: '9:16', caption_style: 'bold' });
    const csv = templateCsvRows(t, '产品,price\r\n手机,2999\r\n耳机,399\r\n', {}, limits);
    expect(csv.map((r) => [r.text, r.output])).toEqual([
      ['这款手机售价2999元。', { aspect: '9:16', caption_style: 'bold' }],
      ['这款耳机售价399元。', { aspect: '9:16', caption_style: 'bold' }],
    ]);
    const json = templateJsonRows(t, { rows: [{ variables: { 产品: '手机', price: 2999 } }] }, limits);
    expect(json[0].output).toEqual({ aspect: '9:16', caption_style: 'bold' });
  });

  it('leave a row without options when the template has none (the render is delivered as it is)', () => {
    const [row] = templateCsvRows(template({}), '产品,price\r\n手机,2999\r\n', {}, limits);
    expect(row.output).toBeUndefined();
  });
});
