/**
 * 医疗废物分类目录（2021年版） — the five medical waste classes, all in category HW01.
 * A medical lot carries exactly one class, and its waste code must be that class's code.
 */
export const MEDICAL_WASTE_CLASSES = {
  INFECTIOUS: { code: '841-001-01', zh: '感染性废物' },
  SHARPS: { code: '841-002-01', zh: '损伤性废物' },
  PATHOLOGICAL: { code: '841-003-01', zh: '病理性废物' },
  CHEMICAL: { code: '841-004-01', zh: '化学性废物' },
  PHARMACEUTICAL: { code: '841-005-01', zh: '药物性废物' },
} as const;

export type MedicalWasteClass = keyof typeof MEDICAL_WASTE_CLASSES;
export const MEDICAL_CATEGORY = 'HW01';

export const medicalClassOfCode = (code: string): MedicalWasteClass | undefined =>
  (Object.keys(MEDICAL_WASTE_CLASSES) as MedicalWasteClass[]).find(
    (k) => MEDICAL_WASTE_CLASSES[k].code === code,
  );

/** Waste code shape `NNN-NNN-NN`; the last two digits are the category (HWNN). */
export const WASTE_CODE_PATTERN = /^\d{3}-\d{3}-\d{2}$/;
export const CATEGORY_PATTERN = /^HW\d{2}$/;
export const categoryOfCode = (code: string): string => `HW${code.slice(-2)}`;
