import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Connection } from '../../shared/graphql/pagination';
import { LocalDateScalar } from '../../shared/graphql/scalars';
import { CATEGORY_PATTERN } from '../domain/medical-waste';

export enum HazardCharacteristic {
  T = 'T',
  C = 'C',
  I = 'I',
  R = 'R',
  In = 'In',
}
registerEnumType(HazardCharacteristic, {
  name: 'HazardCharacteristic',
  description:
    '危险特性 — T toxicity 毒性, C corrosivity 腐蚀性, I ignitability 易燃性, R reactivity 反应性, In infectivity 感染性.',
});

export enum MedicalWasteClassEnum {
  INFECTIOUS = 'INFECTIOUS',
  SHARPS = 'SHARPS',
  PATHOLOGICAL = 'PATHOLOGICAL',
  CHEMICAL = 'CHEMICAL',
  PHARMACEUTICAL = 'PHARMACEUTICAL',
}
registerEnumType(MedicalWasteClassEnum, {
  name: 'MedicalWasteClass',
  description: '医疗废物分类 — the five medical waste classes of category HW01 (医疗废物分类目录 2021).',
});

@ObjectType('WasteEdition', {
  description: '名录版本 — an edition of the National Hazardous Waste List and when it is in force.',
})
export class WasteEditionObject {
  @Field() id!: string;
  @Field() title!: string;
  @Field({ description: 'The legal instrument that promulgated it.' }) instrument!: string;
  @Field(() => LocalDateScalar) inForceFrom!: string;
  @Field(() => LocalDateScalar, { nullable: true }) inForceTo!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'What this edition stands for where a newer one is not loaded.',
  })
  note!: string | null;
}

@ObjectType('WasteCategory', {
  description: '废物类别 — a category HWxx of the National Hazardous Waste List.',
})
export class WasteCategoryObject {
  @Field({ description: 'HW01 … HW50' }) code!: string;
  @Field({ description: 'Chinese name, e.g. 医疗废物.' }) nameZh!: string;
  @Field(() => Int, { description: 'Codes in this category in the edition in force now.' })
  codeCount!: number;
}

@ObjectType('WasteCode', {
  description: '废物代码 — one entry of the National Hazardous Waste List (国家危险废物名录).',
})
export class WasteCodeObject {
  @Field({ description: 'Code NNN-NNN-NN: industry, sequence, category.' }) code!: string;
  @Field({ description: 'Category HWxx (the last two digits of the code).' }) category!: string;
  @Field({ description: 'Category name in Chinese.' }) categoryNameZh!: string;
  @Field({ description: 'Industry source code (行业来源).' }) industryCode!: string;
  @Field({ description: 'Industry source in Chinese.' }) industryNameZh!: string;
  @Field({ description: 'Description of the waste (危险废物), in Chinese.' }) descriptionZh!: string;
  @Field(() => [HazardCharacteristic], { description: 'Hazard characteristics named by the list.' })
  hazards!: HazardCharacteristic[];
  @Field({
    description: 'As written in the list: `T,I` = first certain, others possible; `T/C/I/R` = one or more.',
  })
  hazardNotation!: string;
  @Field(() => MedicalWasteClassEnum, {
    nullable: true,
    description: 'The medical waste class, for HW01 codes.',
  })
  medicalClass!: MedicalWasteClassEnum | null;
  @Field({ description: 'The edition this entry belongs to.' }) edition!: string;
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar, { nullable: true }) validTo!: string | null;
}

@ObjectType('WasteCodeConnection')
export class WasteCodeConnection extends Connection(WasteCodeObject, 'WasteCode') {}

@ObjectType('MedicalWasteClassInfo', {
  description: 'One of the five medical waste classes and its waste code.',
})
export class MedicalWasteClassObject {
  @Field(() => MedicalWasteClassEnum) class!: MedicalWasteClassEnum;
  @Field() code!: string;
  @Field() nameZh!: string;
}

@InputType({ description: 'Filter for wasteCodes; all given conditions must hold.' })
export class WasteCodeFilter {
  @Field({ nullable: true, description: 'Category HWxx, e.g. "HW08".' })
  @IsOptional()
  @Matches(CATEGORY_PATTERN, { message: 'must be a category such as HW08' })
  category?: string;

  @Field(() => HazardCharacteristic, {
    nullable: true,
    description: 'Codes that name this hazard characteristic.',
  })
  @IsOptional()
  @IsEnum(HazardCharacteristic)
  hazard?: HazardCharacteristic;

  @Field({ nullable: true, description: 'Text in the code, description or industry (case-insensitive).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}
