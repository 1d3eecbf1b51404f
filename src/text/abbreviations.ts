/**
 * Abbreviation tables for the recognizers (recognizers.ts): what each stands for when read aloud.
 */
export const ABBREVIATIONS: Record<string, string> = {
  Dr: 'Doctor', Mr: 'Mister', Mrs: 'Missus', dr: 'doctor', mr: 'mister', mrs: 'missus', Ms: 'Miz', Prof: 'Professor', Jr: 'Junior', Sr: 'Senior', Fig: 'Figure', fig: 'figure', Figs: 'Figures', figs: 'figures',
  vs: 'versus', etc: 'et cetera', approx: 'approximately', Dept: 'Department', dept: 'department', Inc: 'Incorporated', Ltd: 'Limited', Co: 'Company', Corp: 'Corporation',
  Ave: 'Avenue', Blvd: 'Boulevard', Rd: 'Road', Ln: 'Lane', Hwy: 'Highway', Expy: 'Expressway', Pkwy: 'Parkway', Ct: 'Court', Sq: 'Square', Apt: 'Apartment', Ste: 'Suite',
  Eq: 'Equation', eq: 'equation', Eqs: 'Equations', Vol: 'Volume', vol: 'volume', Ch: 'Chapter', ch: 'chapter', Sec: 'Section', sec: 'section', Secs: 'Sections', Ref: 'Reference', ref: 'reference', Refs: 'References',
  Tab: 'Table', Thm: 'Theorem', Def: 'Definition', Prop: 'Proposition', Lem: 'Lemma', Cor: 'Corollary', Ex: 'Example', Ed: 'Edition', ed: 'edition', eds: 'editors', Eds: 'Editors', Rev: 'Reverend',
  Mt: 'Mount', Ft: 'Fort', Gen: 'General', Gov: 'Governor', Sen: 'Senator', Rep: 'Representative', Capt: 'Captain', Lt: 'Lieutenant', Col: 'Colonel', Sgt: 'Sergeant', Maj: 'Major', Esq: 'Esquire', Drs: 'Doctors', bldg: 'building', Bldg: 'Building', apt: 'apartment', Gens: 'Generals', Sens: 'Senators', Reps: 'Representatives', Govs: 'Governors', Adm: 'Admiral', Cmdr: 'Commander', Supt: 'Superintendent', Assn: 'Association', Bros: 'Brothers', Univ: 'University', Jct: 'Junction', Hon: 'Honorable', Pres: 'President',
  Jan: 'January', Feb: 'February', Mar: 'March', Apr: 'April', Jun: 'June', Jul: 'July', Aug: 'August', Sep: 'September', Sept: 'September', Oct: 'October', Nov: 'November', Dec: 'December',
  Mon: 'Monday', Tue: 'Tuesday', Tues: 'Tuesday', Wed: 'Wednesday', Thu: 'Thursday', Thurs: 'Thursday', Fri: 'Friday', Sat: 'Saturday', Sun: 'Sunday',
  cf: 'compare', ca: 'circa', al: 'al', ibid: 'ibid', viz: 'namely', est: 'established', min: 'minimum', max: 'maximum', Etc: 'Et cetera', Rt: 'Right', Op: 'Opus', op: 'opus', fl: 'flourished', b: 'born', d: 'died', no: 'number', No: 'Number', Nos: 'Numbers', nos: 'numbers',
  p: 'page', pp: 'pages', NO: 'Number', para: 'paragraph', paras: 'paragraphs', Para: 'Paragraph', Art: 'Article', art: 'article', Fwd: 'Forward', tel: 'telephone', Tel: 'Telephone', ext: 'extension', Ext: 'Extension',
};
/** Needs a number after it to be an abbreviation at all ("no." alone is the word "no"). */
export const BEFORE_NUMBER = new Set(['Op', 'op', 'fl', 'b', 'd', 'no', 'No', 'Nos', 'nos', 'p', 'pp', 'para', 'paras', 'Para', 'Art', 'art', 'vol', 'Vol', 'ch', 'Ch', 'sec', 'Sec', 'Secs', 'ref', 'Ref', 'Refs', 'Tab', 'Ex', 'ed', 'Ed', 'tel', 'Tel', 'ext', 'Ext', 'Eq', 'eq', 'Eqs', 'Fig', 'fig', 'Figs', 'figs', 'min', 'max']);
export const LATIN: Record<string, string> = { 'e.g.': 'for example', 'i.e.': 'that is', 'a.k.a.': 'also known as', 'et al.': 'et al', 'n.b.': 'note', 'N.B.': 'note', 'p.s.': 'P S', 'P.S.': 'P S', 'a.m.': 'a m', 'p.m.': 'p m', 'vs.': 'versus', 'viz.': 'namely', 'cf.': 'compare', 'c.': 'circa', 'approx.': 'approximately' };
/** Dotted place initials said as names. */
export const DOTTED_PLACES: Record<string, string> = { 'N.Y.': 'New York', 'N.J.': 'New Jersey', 'N.H.': 'New Hampshire', 'R.I.': 'Rhode Island', 'N.C.': 'North Carolina', 'S.C.': 'South Carolina', 'N.D.': 'North Dakota', 'S.D.': 'South Dakota', 'W.Va.': 'West Virginia' };
export const US_STATES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut', DE: 'Delaware', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri',
  MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma',
  OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington',
  WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming', DC: 'D C',
};
