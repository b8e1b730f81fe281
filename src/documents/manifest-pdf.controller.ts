import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../shared/auth/access-policy';
import { PrincipalService } from '../shared/auth/principal.service';
import { type HttpReply, type HttpRequest, httpCaller } from './http-auth';
import { InspectionLinks } from './inspection-links';
import { ManifestDocumentService } from './manifest-document.service';
import { renderManifestPdf } from './manifest-pdf';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `GET /manifests/<id or number>.pdf` — the printable transfer manifest (A4 PDF, Chinese text in an
 * embedded Noto Sans SC subset), rendered from the ledger at each request. Same bearer token as
 * GraphQL, allowed to the callers of `manifest` and scoped like it: the parties named on the
 * manifest and regulators of its start or end site; NOT_FOUND for anyone else.
 */
@Controller('manifests')
export class ManifestPdfController {
  constructor(
    private readonly principals: PrincipalService,
    private readonly documents: ManifestDocumentService,
    private readonly links: InspectionLinks,
    private readonly db: DataSource,
  ) {}

  @Get(':file')
  async pdf(
    @Param('file') file: string,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ): Promise<Buffer> {
    const who = await httpCaller(this.principals, req, 'manifest', 'manifests');
    const m = /^(.+)\.pdf$/i.exec(file);
    if (!m) throw notFound('manifest (served as <id or number>.pdf)');
    const key = decodeURIComponent(m[1]);
    const manifestId = UUID.test(key) ? key : await this.byNumber(key);
    const base = this.links.baseUrl(req);
    const doc = await this.documents.forCaller(who, manifestId, this.links.url(base, manifestId));
    const pdf = await renderManifestPdf(doc);
    // set only on success: a refusal is answered as JSON by the error filter
    reply.header('content-type', 'application/pdf');
    reply.header(
      'content-disposition',
      `inline; filename="manifest-${doc.number.replace(/[^\w-]/g, '')}.pdf"`,
    );
    reply.header('cache-control', 'private, no-store');
    return pdf;
  }

  /** By HazLedger number or 14-digit national number (visibility is checked after). */
  private async byNumber(number: string): Promise<string> {
    const [r] = await this.db.query<{ manifest_id: string }[]>(
      `SELECT manifest_id FROM manifest WHERE hazledger_number = $1 OR national_number = $1`,
      [number.trim()],
    );
    if (!r) throw notFound('manifest');
    return r.manifest_id;
  }
}
