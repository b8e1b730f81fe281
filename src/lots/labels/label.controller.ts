import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { mayCall } from '../../shared/auth/permissions';
import { PrincipalService } from '../../shared/auth/principal.service';
import { DomainError } from '../../shared/domain/domain-error';
import { LabelService } from './label.service';

/**
 * `GET /labels/<labelCode>.svg` — a lot's printable label (SVG is normative; no PNG is offered, as
 * rendering the Chinese text needs a CJK font the server may lack). Authenticated with the same
 * bearer token as GraphQL, allowed to the callers of `lotByLabel`, scoped like the lot.
 */
@Controller('labels')
export class LabelController {
  constructor(
    private readonly labels: LabelService,
    private readonly principals: PrincipalService,
  ) {}

  @Get(':file')
  async svg(
    @Param('file') file: string,
    @Req() req: Parameters<PrincipalService['forRequest']>[0],
    @Res({ passthrough: true }) reply: { header(name: string, value: string): unknown },
  ): Promise<string> {
    const who = await this.principals.forRequest(req);
    const verdict = mayCall(who, 'lotByLabel');
    if (verdict === 'UNAUTHENTICATED')
      throw new DomainError(
        'UNAUTHENTICATED',
        'labels need a signed-in user (Authorization: Bearer <token>)',
      );
    if (verdict !== 'ALLOWED') throw new DomainError('FORBIDDEN', 'your role may not print labels');
    const m = /^(.+)\.svg$/i.exec(file);
    if (!m) throw new DomainError('NOT_FOUND', 'labels are served as <label code>.svg');
    const svg = await this.labels.svg(who, decodeURIComponent(m[1]));
    // set only on success: a refusal is answered as JSON by the error filter
    reply.header('content-type', 'image/svg+xml; charset=utf-8');
    reply.header('cache-control', 'private, no-store');
    return svg;
  }
}
