import { Args, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '../../shared/domain/domain-error';
import { PageArgs } from '../../shared/graphql/pagination';
import { DateTimeScalar } from '../../shared/graphql/scalars';
import { Clock } from '../../shared/clock';
import { CatalogueService } from '../catalogue.service';
import { MEDICAL_WASTE_CLASSES, type MedicalWasteClass, WASTE_CODE_PATTERN } from '../domain/medical-waste';
import {
  MedicalWasteClassEnum,
  MedicalWasteClassObject,
  WasteCategoryObject,
  WasteCodeConnection,
  WasteCodeFilter,
  WasteCodeObject,
  WasteEditionObject,
} from './catalogue.objects';

@Resolver()
export class CatalogueResolver {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {}

  @Query(() => WasteCodeObject, {
    nullable: true,
    description:
      '废物代码 — one code of the edition in force at `at` (default: now); null when it does not exist then.',
  })
  async wasteCode(
    @Args('code', { description: 'NNN-NNN-NN, e.g. "900-214-08".' }) code: string,
    @Args('at', {
      type: () => DateTimeScalar,
      nullable: true,
      description: 'Business time; default now.',
    })
    at?: Date,
  ): Promise<WasteCodeObject | null> {
    if (!WASTE_CODE_PATTERN.test(code))
      throw DomainError.badInput('code', 'code: must be written NNN-NNN-NN');
    return this.catalogue.findCode(code, at ?? this.clock.now());
  }

  @Query(() => WasteCodeConnection, {
    description:
      '国家危险废物名录 — codes of the edition in force at `at` (default now), ordered by code, with cursor pagination.',
  })
  wasteCodes(
    @Args() page: PageArgs,
    @Args('filter', { type: () => WasteCodeFilter, nullable: true }) filter?: WasteCodeFilter,
    @Args('at', { type: () => DateTimeScalar, nullable: true }) at?: Date,
  ) {
    return this.catalogue.listCodes({
      ...filter,
      at: at ?? this.clock.now(),
      first: page.first,
      after: page.after,
    });
  }

  @Query(() => [WasteCategoryObject], {
    description: '废物类别 — the categories of the edition in force at `at`.',
  })
  wasteCategories(@Args('at', { type: () => DateTimeScalar, nullable: true }) at?: Date) {
    return this.catalogue.categories(at ?? this.clock.now());
  }

  @Query(() => [WasteEditionObject], {
    description: 'Editions of the list loaded here, with their periods in force.',
  })
  wasteCatalogueEditions() {
    return this.catalogue.editions();
  }

  @Query(() => [MedicalWasteClassObject], {
    description: '医疗废物分类 — the five medical waste classes and their codes.',
  })
  medicalWasteClasses(): MedicalWasteClassObject[] {
    return (Object.keys(MEDICAL_WASTE_CLASSES) as MedicalWasteClass[]).map((k) => ({
      class: MedicalWasteClassEnum[k],
      code: MEDICAL_WASTE_CLASSES[k].code,
      nameZh: MEDICAL_WASTE_CLASSES[k].zh,
    }));
  }
}
