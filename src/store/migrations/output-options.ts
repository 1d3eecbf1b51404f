/**
 * Output options and caption styles (docs/output.md): the task's delivery options
 * (`output_options`: aspect, size, background, watermark, format, the face box) and its caption
 * style (`caption_style`), each the resolved value as JSON text; null = as rendered / the
 * configured captions. The same TEXT type in both stores, so one row mapper reads them.
 */
export const SQLITE_OUTPUT_OPTIONS = `
ALTER TABLE tasks ADD COLUMN output_options TEXT;
ALTER TABLE tasks ADD COLUMN caption_style TEXT;
`;

export const POSTGRES_OUTPUT_OPTIONS = `
ALTER TABLE tasks ADD COLUMN output_options TEXT;
ALTER TABLE tasks ADD COLUMN caption_style TEXT;
`;
