import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code';
import { ApiErrors } from '../errors/api-errors.decorator';
import { AdminGuard } from './admin.guard';

export const INFRA_ROUTE = Symbol('bsm:infra-route');
export const SIGNED_ROUTE = Symbol('bsm:signed-route');
export const MOBILE_RESTRICTED = Symbol('bsm:mobile-restricted');

/**
 * Health, metrics and docs: probes and scrapers must always get through, so these routes
 * skip the rate limit, LAN_ONLY and MOBILE_MODE.
 */
export const InfraRoute = () => SetMetadata(INFRA_ROUTE, true);

/**
 * Routes authenticated by a request signature (GitHub webhooks): exempt from the client
 * policies and from API keys, since refusing a delivery loses it.
 */
export const SignedRoute = () => applyDecorators(InfraRoute(), SetMetadata(SIGNED_ROUTE, true));

/** A mutating route that MOBILE_MODE switches off. */
export const MobileRestricted = () => SetMetadata(MOBILE_RESTRICTED, true);

/** Requires the admin token (x-admin-token or Authorization: Bearer). */
export const AdminOnly = () =>
  applyDecorators(
    UseGuards(AdminGuard),
    ApiSecurity('admin-token'),
    ApiErrors(ErrorCode.Unauthorized, ErrorCode.AdminDisabled),
  );

/** Admin routes that change state: admin token required, and refused under MOBILE_MODE. */
export const AdminAction = () => applyDecorators(AdminOnly(), MobileRestricted(), ApiErrors(ErrorCode.MobileModeRestriction));
