import { Module } from '@nestjs/common';
import { CatalogueService } from './catalogue.service';
import { CatalogueResolver } from './graphql/catalogue.resolver';

/** 国家危险废物名录 — the waste catalogue: codes, categories, editions, medical classes. */
@Module({
  providers: [CatalogueService, CatalogueResolver],
  exports: [CatalogueService],
})
export class CatalogueModule {}
