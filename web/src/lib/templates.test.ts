import { describe, expect, it } from 'vitest';
import { fillScript, scriptParts, variablesOf } from './templates';

describe('templates in the UI', () => {
  it('finds variables and cuts the script for highlighting', () => {
    expect(variablesOf('这款{{产品}}售价{{ price }}元 {{产品}}')).toEqual(['产品', 'price']);
    expect(scriptParts('Hi {{name}}!')).toEqual([{ text: 'Hi ' }, { text: '{{name}}', variable: 'name' }, { text: '!' }]);
    expect(scriptParts('{{a}}').map((p) => p.text).join('')).toBe('{{a}}');
  });

  it('fills what has a value and leaves the rest visible', () => {
    expect(fillScript('售价{{price}}元，{{x}}', { price: ' 2999 ' })).toEqual({ text: '售价2999元，{{x}}', missing: ['x'] });
  });
});
