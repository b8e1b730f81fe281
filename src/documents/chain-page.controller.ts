import { Controller, Get, Param, Res } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { notFound } from '../shared/auth/access-policy';
import type { HttpReply } from './http-auth';

/**
 * The folder of the custody-chain page's static files, found at run time like `seeds/`: beside this
 * file when it runs from `src/` (ts-jest, ts-node), `src/documents/web` of the repository when it
 * runs from `dist/src/documents/`, or of the working directory (the Docker image copies the folder).
 * Served from the source tree, so `npm run build` needs no copy step.
 */
export function webDir(): string {
  const candidates = [
    resolve(__dirname, 'web'),
    resolve(__dirname, '../../../src/documents/web'),
    resolve(process.cwd(), 'src/documents/web'),
  ];
  const found = candidates.find((c) => existsSync(join(c, 'index.html')));
  if (!found) throw new Error(`custody-chain page not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** The page's files (a closed list: nothing else of the folder or the disk is reachable). */
const FILES: Record<string, { type: string; path: () => string }> = {
  'index.html': { type: 'text/html; charset=utf-8', path: () => join(webDir(), 'index.html') },
  'chain.js': { type: 'text/javascript; charset=utf-8', path: () => join(webDir(), 'chain.js') },
  'chain-api.js': { type: 'text/javascript; charset=utf-8', path: () => join(webDir(), 'chain-api.js') },
  'chain-graph.js': { type: 'text/javascript; charset=utf-8', path: () => join(webDir(), 'chain-graph.js') },
  'chain.css': { type: 'text/css; charset=utf-8', path: () => join(webDir(), 'chain.css') },
  // the graph library, from its npm package (the machines have no internet: no CDN)
  'cytoscape.min.js': {
    type: 'text/javascript; charset=utf-8',
    path: () => require.resolve('cytoscape/dist/cytoscape.min.js'),
  },
  // the CJK web font, for browsers without a Chinese system font (chain.css asks for local fonts first)
  'NotoSansSC-Regular.ttf': {
    type: 'font/ttf',
    path: () => require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  },
};

const LONG_LIVED = new Set(['cytoscape.min.js', 'NotoSansSC-Regular.ttf']);

/**
 * Scripts from this origin only; the page talks to /graphql on the same origin. Inline styles are
 * allowed because Cytoscape.js sets style attributes on the elements it creates (no script can be
 * injected that way).
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `GET /chain/` — 溯源图 the custody-chain view for regulators: a static page (no separate server)
 * that logs in with the `login` mutation and reads `custodyChain*` like any GraphQL client. The
 * files are public; every record comes from GraphQL with the caller's token and scope.
 */
@Controller('chain')
export class ChainPageController {
  private readonly cache = new Map<string, Buffer>();

  @Get()
  index(@Res({ passthrough: true }) reply: HttpReply): Buffer {
    return this.file('index.html', reply);
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res({ passthrough: true }) reply: HttpReply): Buffer {
    return this.file(file, reply);
  }

  private file(name: string, reply: HttpReply): Buffer {
    const f = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
    if (!f) throw notFound('file');
    let body = this.cache.get(name);
    if (!body) {
      body = readFileSync(f.path());
      this.cache.set(name, body);
    }
    reply.header('content-type', f.type);
    reply.header('content-security-policy', CSP);
    reply.header('cache-control', LONG_LIVED.has(name) ? 'public, max-age=86400' : 'no-cache');
    return body;
  }
}
