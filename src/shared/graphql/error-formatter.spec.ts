import { GraphQLError } from 'graphql';
import { DomainError } from '../domain/domain-error';
import { createErrorFormatter } from './error-formatter';

describe('GraphQL error formatter', () => {
  const logged: unknown[] = [];
  const format = createErrorFormatter((err) => logged.push(err));

  it('maps a DomainError to its code, field and retryability', () => {
    const err = new GraphQLError('x', {
      originalError: new DomainError('CONFLICT', 'stale version', { stream: 's' }),
    });
    const out = format({ data: null, errors: [err] });
    expect(out.statusCode).toBe(200);
    expect(out.response.errors[0].extensions).toEqual({ code: 'CONFLICT', retryable: true, stream: 's' });
    const bad = new GraphQLError('x', { originalError: DomainError.badInput('input.mass', 'negative') });
    expect(format({ errors: [bad] }).response.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.mass',
    });
  });

  it('flattens wrapped validation errors and answers 400', () => {
    const wrapper = Object.assign(new Error('Graphql validation error'), {
      statusCode: 400,
      errors: [
        new GraphQLError('Cannot query field "x" on type "Query".'),
        new GraphQLError('Unknown argument "y".'),
      ],
    });
    const out = format({ errors: [new GraphQLError(wrapper.message, { originalError: wrapper })] });
    expect(out.statusCode).toBe(400);
    expect(out.response.errors.map((e) => e.extensions?.code)).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });

  it('codes variable coercion as bad input with the field path', () => {
    const err = new GraphQLError(
      'Variable "$f" got invalid value "BAR" at "f.hazard"; Value "BAR" does not exist.',
      {
        originalError: new GraphQLError('Value "BAR" does not exist'),
      },
    );
    expect(format({ errors: [err] }).response.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'f.hazard',
    });
  });

  it('hides unexpected errors behind INTERNAL_SERVER_ERROR and logs them, never 500', () => {
    const err = new GraphQLError('boom', { originalError: new TypeError('secret detail'), path: ['q'] });
    const out = format({ data: null, errors: [err] });
    expect(out.statusCode).toBe(200);
    expect(out.response.errors[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(out.response)).not.toContain('secret detail');
    expect(logged.length).toBeGreaterThan(0);
  });
});

describe('database outages', () => {
  it('answer SERVICE_UNAVAILABLE (retryable), not an internal error', () => {
    const format = createErrorFormatter(() => undefined);
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const out = format({ data: null, errors: [new GraphQLError('x', { originalError: down, path: ['q'] })] });
    expect(out.response.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(
      format({ errors: [new GraphQLError('x', { originalError: terminated })] }).response.errors[0].extensions
        ?.code,
    ).toBe('SERVICE_UNAVAILABLE');
  });
});
