/**
 * `npm run keys` — prints a fresh set of the keys a production process needs, as shell `export`
 * lines (base64 of the PKCS#8 PEM, one line each, which the API accepts as they are): the
 * checkpoint signing key (Ed25519), the access-token key (ES256, P-256) and the inspection-link
 * HMAC key. Store them in the deployment's secret store; every API process gets the same set.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const pem = (type: 'ed25519' | 'ec') =>
  (type === 'ed25519'
    ? generateKeyPairSync('ed25519')
    : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  ).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function freshKeys(): Record<
  'LEDGER_SIGNING_KEY' | 'JWT_PRIVATE_KEY' | 'INSPECTION_LINK_KEY',
  string
> {
  return {
    LEDGER_SIGNING_KEY: b64(pem('ed25519')),
    JWT_PRIVATE_KEY: b64(pem('ec')),
    INSPECTION_LINK_KEY: randomBytes(32).toString('base64'),
  };
}

if (require.main === module) {
  for (const [name, value] of Object.entries(freshKeys()))
    process.stdout.write(`export ${name}='${value}'\n`);
}
