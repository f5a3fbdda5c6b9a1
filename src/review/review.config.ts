import { IsOptional, IsString } from 'class-validator';

/** The review engine's own variables. */
export class ReviewConfig {
  /** A YAML file of extra secret rules (the shape of secret-rules.yaml), run on RE2 and checked at boot. */
  @IsOptional()
  @IsString({ message: 'SECRET_RULES_PATH must be a file path' })
  SECRET_RULES_PATH?: string;
}
