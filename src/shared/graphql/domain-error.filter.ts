import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { DomainError } from '../domain/domain-error';
import { ERROR_MAP } from './error-map';

interface ReplyLike {
  status(code: number): ReplyLike;
  send(body: unknown): void;
}

/**
 * Keeps refusals out of Nest's error log. For GraphQL it hands the error back unchanged to the
 * Mercurius errorFormatter; for plain HTTP routes it answers with the same code map.
 */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return error;
    const presentation = ERROR_MAP[error.code];
    const reply = host.switchToHttp().getResponse<ReplyLike>();
    reply.status(presentation.httpStatus ?? HttpStatus.BAD_REQUEST).send({
      error: { code: presentation.extensionsCode, message: error.message, ...error.details },
    });
    return undefined;
  }
}
