import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max } from 'class-validator';
import { DomainException } from '../errors/domain.exception';
import { createValidationPipe } from './validation';

class OptionalQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Max(100)
  limit: number = 50;

  @IsOptional()
  @IsString()
  mode?: string;
}

class RequiredQuery {
  @IsString()
  name: string;
}

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

describe('createValidationPipe', () => {
  it('answers an empty input exactly as the full validation does, every time', async () => {
    const pipe = createValidationPipe();
    const first = await pipe.transform({}, query(OptionalQuery));
    const second = await pipe.transform(Object.create(null), query(OptionalQuery));
    for (const result of [first, second]) {
      expect(result).toBeInstanceOf(OptionalQuery);
      expect(result).toEqual({ limit: 50 });
    }
    expect(second).not.toBe(first);
  });

  it('still refuses an empty input when a field is required, every time', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({}, query(RequiredQuery))).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'name', messages: ['name must be a string'] }],
      });
    }
  });

  it('validates and transforms a non-empty input after an empty one passed', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({}, query(OptionalQuery));
    await expect(pipe.transform({ limit: '7' }, query(OptionalQuery))).resolves.toEqual({ limit: 7 });
    await expect(pipe.transform({ limit: '700' }, query(OptionalQuery))).rejects.toBeInstanceOf(DomainException);
    await expect(pipe.transform({ other: 'x' }, query(OptionalQuery))).rejects.toMatchObject({
      details: [{ field: 'other', messages: ['property other should not exist'] }],
    });
  });
});
