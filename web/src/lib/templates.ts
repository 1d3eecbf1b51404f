/**
 * Templates in the UI (docs/templates.md): the script's variables, the script cut into text and
 * variable parts for highlighting, and the filled script for the live preview. The same rule
 * for a variable as the gateway's (src/templates/template.ts): the server fills for real; this
 * only shows what it will do. Pure, unit-tested.
 */
const VARIABLE = /\{\{\s*([\p{L}_][\p{L}\p{N}_]{0,63})\s*\}\}/gu;

export interface TemplateView {
  id: string;
  version: number;
  name: string;
  script: string;
  variables: string[];
  avatar_id: string | null;
  voice_id: string | null;
  language: string;
  captions: string | null;
  options: Record<string, string>;
  shared: boolean;
  created_time: string;
}

export function variablesOf(script: string): string[] {
  return [...new Set([...script.matchAll(VARIABLE)].map((m) => m[1]))];
}

export type ScriptPart = { text: string; variable?: string };

/** The script as text and `{{variable}}` parts, in order (joined, they are the script). */
export function scriptParts(script: string): ScriptPart[] {
  const out: ScriptPart[] = [];
  let at = 0;
  for (const m of script.matchAll(VARIABLE)) {
    if (m.index > at) out.push({ text: script.slice(at, m.index) });
    out.push({ text: m[0], variable: m[1] });
    at = m.index + m[0].length;
  }
  if (at < script.length) out.push({ text: script.slice(at) });
  return out;
}

/** The script with each given value in; a variable without a value stays `{{name}}`. */
export function fillScript(script: string, values: Readonly<Record<string, string>>): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = script.replace(VARIABLE, (whole, name: string) => {
    const v = values[name]?.trim();
    if (v) return v;
    missing.add(name);
    return whole;
  });
  return { text, missing: [...missing] };
}
