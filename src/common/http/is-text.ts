import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A non-empty string of at most `max` characters, checked as one rule so a missing or
 * wrong field gets one clear message instead of three.
 */
export function IsText(max: number, options?: ValidationOptions & { allowEmpty?: boolean }): PropertyDecorator {
  const min = options?.allowEmpty ? 0 : 1;
  return ValidateBy(
    {
      name: 'isText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length >= min && value.length <= max,
        defaultMessage: (args) =>
          `${args?.property} must be ${min === 0 ? 'a string' : 'a non-empty string'} of at most ${max} characters`,
      },
    },
    options,
  );
}
