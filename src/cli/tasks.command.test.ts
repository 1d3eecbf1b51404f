import { describe, expect, it } from 'vitest';
import { cells, formatTasks } from './tasks.command.js';

describe('tasks table', () => {
  it('shows each task\u2019s language and keeps columns aligned with Chinese text (two cells a character)', () => {
    const row = (id: string, text: string, language?: string) => ({ task_id: id, status: 'queued', phase: 'queued', progress: 0, gpu_id: null, created_time: '2026-01-02T03:04:05.000Z', text, language, error_code: null });
    const out = formatTasks([row('a1', '这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！', 'zh'), row('b2', 'Hello there.', 'en'), row('c3', 'old gateway')]).split('\n');
    expect(out[0]).toMatch(/^TASK\s+STATUS\s+PHASE\s+%\s+GPU\s+LANG\s+CREATED\s+TEXT$/);
    expect(out[1]).toContain(' zh ');
    expect(out[2]).toContain(' en ');
    expect(out[3]).toMatch(/ - +2026/); // a gateway older than languages sends none
    // the text column starts at the same terminal cell on every line
    const textCell = (line: string, text: string) => cells(line.slice(0, line.indexOf(text)));
    expect(textCell(out[1], '这款')).toBe(textCell(out[2], 'Hello'));
    // Chinese text is cut at 40 cells (20 characters), whole characters only
    expect(cells(out[1].slice(out[1].indexOf('这款')))).toBeLessThanOrEqual(40);
  });
});
