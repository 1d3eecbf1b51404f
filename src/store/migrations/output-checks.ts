/**
 * Output checks (docs/checks.md): every task keeps what the check found in its results
 * (`checks`, JSON: code, at, detail, attempt, slot) and the slots its next attempt should avoid
 * (`avoid_slots`, `,0,2,` — a comma on each side of every id, so one LIKE finds a slot in both
 * databases without a JSON function in the claim).
 */
export const SQLITE_OUTPUT_CHECKS = `
ALTER TABLE tasks ADD COLUMN checks TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tasks ADD COLUMN avoid_slots TEXT;
`;

export const POSTGRES_OUTPUT_CHECKS = `
ALTER TABLE tasks ADD COLUMN checks JSONB NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE tasks ADD COLUMN avoid_slots TEXT;
`;

/** `[0, 2]` → `,0,2,`; none → null. */
export function avoidSlotsColumn(slots: readonly number[] | null | undefined): string | null {
  return slots && slots.length ? `,${slots.join(',')},` : null;
}

export function avoidSlotsOf(col: unknown): number[] {
  return typeof col === 'string' ? col.split(',').filter(Boolean).map(Number) : [];
}
