/**
 * Hazard characteristics (危险特性) as the National Hazardous Waste List writes them:
 * T toxicity 毒性, C corrosivity 腐蚀性, I ignitability 易燃性, R reactivity 反应性, In infectivity 感染性.
 * `T,I` means the first is certain and the others possible; `T/C/I/R` means one or more of them.
 */
export const HAZARDS = ['T', 'C', 'I', 'R', 'In'] as const;
export type Hazard = (typeof HAZARDS)[number];

export const HAZARD_NAMES: Record<Hazard, { en: string; zh: string }> = {
  T: { en: 'toxicity', zh: '毒性' },
  C: { en: 'corrosivity', zh: '腐蚀性' },
  I: { en: 'ignitability', zh: '易燃性' },
  R: { en: 'reactivity', zh: '反应性' },
  In: { en: 'infectivity', zh: '感染性' },
};

const isHazard = (s: string): s is Hazard => (HAZARDS as readonly string[]).includes(s);

/** The distinct hazards a notation names, in the order written. Throws on an unknown symbol. */
export function parseHazardNotation(notation: string): Hazard[] {
  const parts = notation
    .split(/[,/]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: Hazard[] = [];
  for (const p of parts) {
    if (!isHazard(p)) throw new Error(`unknown hazard characteristic '${p}' in '${notation}'`);
    if (!out.includes(p)) out.push(p);
  }
  if (out.length === 0) throw new Error(`empty hazard notation '${notation}'`);
  return out;
}

/** How certain each hazard of a notation is: the first of a comma list is certain, the rest possible; a slash list means one or more. */
export function hazardCertainty(notation: string): 'CERTAIN_FIRST' | 'ONE_OR_MORE' | 'SINGLE' {
  if (notation.includes('/')) return 'ONE_OR_MORE';
  return notation.includes(',') ? 'CERTAIN_FIRST' : 'SINGLE';
}
