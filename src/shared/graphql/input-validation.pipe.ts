import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';
import { DomainError } from '../domain/domain-error';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object, Date]);

/**
 * The path of the first string holding a NUL character (PostgreSQL text cannot store one), or
 * of the first invalid date, anywhere in an argument.
 */
function unstorable(value: unknown, path: string): { field: string; message: string } | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? { field: path, message: 'contains a NUL character' } : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { field: path, message: 'not a valid instant' } : undefined;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = unstorable(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return undefined;
}

/** The first failing constraint and its dotted path (`input.lots.0.mass`). */
function firstFailure(
  errors: ValidationError[],
  prefix: string,
): { field: string; message: string } | undefined {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints && Object.keys(e.constraints).length > 0) {
      return { field: path, message: Object.values(e.constraints)[0] };
    }
    const nested = firstFailure(e.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Validates GraphQL input objects with class-validator. A failure is a `BAD_USER_INPUT`
 * `DomainError` naming the field as a path from the argument (`input.mass`), so that the one
 * error map formats it like every other refusal.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (metadata.type !== 'custom') {
      const bad = unstorable(value, metadata.data ?? '');
      if (bad) throw DomainError.badInput(bad.field, `${bad.field}: ${bad.message}`);
    }
    if (
      metadata.type === 'custom' ||
      !type ||
      type === Promise ||
      PRIMITIVES.has(type) ||
      value === null ||
      value === undefined ||
      typeof value !== 'object'
    ) {
      return value;
    }
    const instance = plainToInstance(type, value) as object;
    const errors = await validate(instance, {
      forbidUnknownValues: false,
      validationError: { target: false },
    });
    const failure = firstFailure(errors, metadata.data ?? '');
    if (failure) throw DomainError.badInput(failure.field, `${failure.field}: ${failure.message}`);
    return instance;
  }
}
