import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LotsModule } from '../lots/lots.module';
import { ManifestsModule } from '../manifests/manifests.module';
import { ChainPageController } from './chain-page.controller';
import { InspectionResolver } from './graphql/inspection.resolver';
import { InspectionController } from './inspection.controller';
import { InspectionLinks } from './inspection-links';
import { InspectionService } from './inspection.service';
import { LabelSheetController, LabelSheetService } from './label-sheet.controller';
import { ManifestDocumentService } from './manifest-document.service';
import { ManifestPdfController } from './manifest-pdf.controller';

/**
 * 单据与图示 — documents and pictures for people who work with paper and screens: the printable
 * manifest (PDF with the QR code of its roadside inspection link), the signed inspection link with
 * its HTML and JSON views and the log of its openings, the inspectors' lookup by plate, label sheets
 * for label printers and A4, and the regulators' custody-chain page. Reads only: everything comes
 * from the manifest and lot read models and the ledger at each request.
 */
@Module({
  imports: [ManifestsModule, LotsModule],
  controllers: [ManifestPdfController, InspectionController, LabelSheetController, ChainPageController],
  providers: [
    InspectionLinks,
    ManifestDocumentService,
    InspectionService,
    InspectionResolver,
    LabelSheetService,
  ],
})
export class DocumentsModule implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  /** `/chain/` (as people type it) leads to the page at `/chain`; command-line contexts have no HTTP. */
  onModuleInit(): void {
    const http = this.host?.httpAdapter;
    if (!http) return;
    http.get('/chain/', (_req: unknown, reply: unknown) => {
      http.redirect(reply, 302, '/chain');
    });
  }
}
