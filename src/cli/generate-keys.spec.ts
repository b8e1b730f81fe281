import { validateEnv } from '../config/env';
import { loadSigningKey } from '../ledger/checkpoints/signing-key';
import { TokenService } from '../shared/auth/token.service';
import { freshKeys } from './generate-keys';

describe('production keys (npm run keys)', () => {
  const base = { DATABASE_URL: 'postgres://app:pw@localhost:5432/hazledger', NODE_ENV: 'production' };

  it('a production start without its keys stops, naming each missing key and how to make them', () => {
    let message = '';
    try {
      validateEnv(base);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/LEDGER_SIGNING_KEY is required in production/);
    expect(message).toMatch(/JWT_PRIVATE_KEY is required in production/);
    expect(message).toMatch(/INSPECTION_LINK_KEY is required in production/);
    expect(message).toMatch(/npm run keys/);
    const keys = freshKeys();
    expect(() => validateEnv({ ...base, ...keys, JWT_PRIVATE_KEY: undefined })).toThrow(
      /^Invalid configuration:\n {2}JWT_PRIVATE_KEY is required in production[^\n]*\n {2}`npm run keys`/,
    );
  });

  it('generates keys the API accepts: an Ed25519 checkpoint key, an ES256 token key, a 32-byte link key', () => {
    const keys = freshKeys();
    const env = validateEnv({ ...base, ...keys });
    const signing = loadSigningKey({
      configured: env.LEDGER_SIGNING_KEY,
      nodeEnv: env.NODE_ENV,
      dataDir: '/nonexistent',
      warn: () => undefined,
    });
    expect(signing.source).toBe('configuration');
    expect(signing.publicKeyRaw).toHaveLength(32);
    const tokens = new TokenService(env);
    const { token } = tokens.sign({ sub: 'user-1', typ: 'user' });
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg).toBe('ES256');
    expect(tokens.verify(token)).toEqual({ sub: 'user-1', typ: 'user' });
    expect(Buffer.from(keys.INSPECTION_LINK_KEY, 'base64')).toHaveLength(32);
    // fresh each time
    expect(freshKeys().LEDGER_SIGNING_KEY).not.toBe(keys.LEDGER_SIGNING_KEY);
  });
});
