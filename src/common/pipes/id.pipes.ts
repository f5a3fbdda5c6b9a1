import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';

/** One validating pipe per kind of path id; each refuses before anything touches the disk. */
abstract class PatternIdPipe implements PipeTransform<unknown, string> {
  protected abstract readonly kind: string;
  protected abstract readonly pattern: RegExp;
  protected abstract readonly rule: string;

  transform(value: unknown): string {
    if (typeof value !== 'string' || value.includes('\0') || value.includes('..') || !this.pattern.test(value)) {
      const shown = typeof value === 'string' ? value.replace(/\0/g, '\\0').slice(0, 80) : String(value);
      throw new DomainException(ErrorCode.InvalidId, `'${shown}' is not a valid ${this.kind}: ${this.rule}`, {
        details: { kind: this.kind, pattern: this.pattern.source },
      });
    }
    return value;
  }
}

@Injectable()
export class AgentIdPipe extends PatternIdPipe {
  protected readonly kind = 'agent id';
  protected readonly pattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
  protected readonly rule = 'lower-case letters, digits and dashes, at most 64';
}

@Injectable()
export class KnowledgeIdPipe extends PatternIdPipe {
  protected readonly kind = 'knowledge id';
  protected readonly pattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
  protected readonly rule = 'a file name of letters, digits, ".", "_" and "-", without ".."';
}

@Injectable()
export class BreakerNamePipe extends PatternIdPipe {
  protected readonly kind = 'circuit breaker name';
  protected readonly pattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;
  protected readonly rule = 'lower-case letters, digits, ".", "_" and "-", at most 64';
}

@Injectable()
export class EventNamePipe extends PatternIdPipe {
  protected readonly kind = 'event name';
  protected readonly pattern = /^[a-z_]+(\.[a-z_]+)?$/;
  protected readonly rule = 'lower-case words joined by "_", optionally ".<action>", e.g. pull_request.opened';
}

@Injectable()
export class JobIdPipe extends PatternIdPipe {
  protected readonly kind: string = 'job id';
  protected readonly pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  protected readonly rule = 'a UUID';
}

@Injectable()
export class DeadLetterIdPipe extends JobIdPipe {
  protected readonly kind = 'dead letter id';
}
