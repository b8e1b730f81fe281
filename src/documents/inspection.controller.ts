import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { Env } from '../config/env';
import { notFound } from '../shared/auth/access-policy';
import { RateLimiter } from '../shared/auth/rate-limit';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import type { HttpReply, HttpRequest } from './http-auth';
import { InspectionLinks } from './inspection-links';
import { expiredPage, inspectionPage, invalidPage, PAGE_CSP, tooManyPage } from './inspection-page';
import { InspectionService } from './inspection.service';

const header = (req: HttpRequest, name: string): string | null => {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
};

/**
 * `GET /inspect/<token>` (HTML) and `GET /inspect/<token>.json` — the roadside inspection link
 * (路检链接), public: the signed token is the credential. An altered or unknown token answers
 * NOT_FOUND; an expired one NOT_FOUND with `expired: true` and nothing of the manifest. Each
 * opening of a validly signed link is logged with time, address and user agent. Each client
 * address may open links INSPECTION_RATE_LIMIT_PER_MINUTE times a minute (per process), then gets
 * 429 RATE_LIMITED, before anything is read or logged.
 */
@Controller('inspect')
export class InspectionController {
  private readonly perAddress: RateLimiter;

  constructor(
    private readonly inspections: InspectionService,
    private readonly links: InspectionLinks,
    private readonly env: Env,
    private readonly clock: Clock,
  ) {
    this.perAddress = new RateLimiter(env.INSPECTION_RATE_LIMIT_PER_MINUTE);
  }

  @Get(':token')
  async open(
    @Param('token') token: string,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ): Promise<string | object> {
    const json = token.endsWith('.json');
    const raw = json ? token.slice(0, -'.json'.length) : token;
    if (!this.perAddress.take(req.ip ?? 'unknown', this.clock.now().getTime())) {
      const limitPerMinute = this.env.INSPECTION_RATE_LIMIT_PER_MINUTE;
      reply.header('retry-after', '60');
      if (json)
        throw new DomainError(
          'RATE_LIMITED',
          'too many inspection-link openings from this address; wait a minute',
          {
            limitPerMinute,
          },
        );
      reply.status(429);
      reply.header('content-type', 'text/html; charset=utf-8');
      reply.header('content-security-policy', PAGE_CSP);
      return tooManyPage(limitPerMinute);
    }
    const base = this.links.baseUrl(req);
    const outcome = await this.inspections.open(raw, base, {
      address: req.ip ?? null,
      userAgent: header(req, 'user-agent'),
      format: json ? 'JSON' : 'HTML',
    });
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-robots-tag', 'noindex');
    if (json) {
      if (outcome.kind === 'INVALID') throw notFound('inspection link');
      if (outcome.kind === 'EXPIRED')
        throw new DomainError('NOT_FOUND', 'this inspection link has expired', {
          expired: true,
          expiredAt: outcome.expiredAt,
        });
      return outcome.view;
    }
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('content-security-policy', PAGE_CSP);
    if (outcome.kind === 'INVALID') {
      reply.status(404);
      return invalidPage();
    }
    if (outcome.kind === 'EXPIRED') {
      reply.status(404);
      return expiredPage(outcome.expiredAt);
    }
    return inspectionPage(outcome.view, `${base}/inspect/${raw}.json`);
  }
}
