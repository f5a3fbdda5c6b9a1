import { BlockList, isIPv4 } from 'node:net';
import { CanActivate, ExecutionContext, Injectable, OnModuleInit, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { normalizeIp } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { Env } from '../../infra/config/env.schema';
import { CorrelationContext } from '../correlation/correlation-context';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';
import { RateLimitStorage } from './rate-limit.storage';
import { INFRA_ROUTE, MOBILE_RESTRICTED, SIGNED_ROUTE } from './route-policy';
import { bearerToken, headerValue, keyIdOf, matchingSecret } from './secret-match';

const PRIVATE_RANGES = new BlockList();
PRIVATE_RANGES.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE_RANGES.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE_RANGES.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE_RANGES.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE_RANGES.addAddress('::1', 'ipv6');
PRIVATE_RANGES.addSubnet('fc00::', 7, 'ipv6');

/** Loopback, RFC 1918 and RFC 4193 addresses, including IPv4-mapped IPv6 forms. */
export function isPrivateAddress(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  try {
    return PRIVATE_RANGES.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
}

/** What one route asks of a request, with the deployment's switches already folded in. */
export interface RouteDecision {
  rateLimited: boolean;
  lanOnly: boolean;
  mobileRefused: boolean;
  apiKey: boolean;
}

const THROTTLER_NAME = 'default';

/**
 * The client policies of every route, in the order they apply: rate limit → LAN_ONLY →
 * MOBILE_MODE → API keys (admin tokens are per route, `@AdminOnly()`). Each route's decision is
 * read from its metadata once, at boot, so a request pays a map lookup and only the checks its
 * route needs: a route with none answers without touching the request.
 */
@Injectable()
export class PolicyGuard implements CanActivate, OnModuleInit {
  private readonly decisions = new Map<Function, RouteDecision>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly lanOnly: boolean;
  private readonly mobileMode: boolean;
  private readonly apiKeys: string[];

  constructor(
    config: ConfigService<Env, true>,
    private readonly reflector: Reflector,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly storage: RateLimitStorage,
    private readonly correlation: CorrelationContext,
  ) {
    this.limit = config.get('RATE_LIMIT_MAX', { infer: true });
    this.windowMs = config.get('RATE_LIMIT_TTL_MS', { infer: true });
    this.lanOnly = config.get('LAN_ONLY', { infer: true });
    this.mobileMode = config.get('MOBILE_MODE', { infer: true });
    this.apiKeys = config.get('API_KEYS', { infer: true });
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name] as Function;
        if (Reflect.hasMetadata(PATH_METADATA, handler)) this.decide(controller, handler);
      }
    }
  }

  /** The decision for one handler (computed at boot for every controller; a late one on first use). */
  private decision(controller: Type, handler: Function): RouteDecision {
    return this.decisions.get(handler) ?? this.decide(controller, handler);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const decision = this.decision(context.getClass(), context.getHandler());
    if (!decision.rateLimited) return this.admit(decision, context);
    return this.count(context).then(() => this.admit(decision, context));
  }

  private decide(controller: Type, handler: Function): RouteDecision {
    const flag = (key: symbol) => this.reflector.getAllAndOverride<boolean>(key, [handler, controller]) === true;
    const infra = flag(INFRA_ROUTE);
    const decision: RouteDecision = {
      rateLimited: !infra,
      lanOnly: this.lanOnly && !infra,
      mobileRefused: this.mobileMode && flag(MOBILE_RESTRICTED),
      apiKey: this.apiKeys.length > 0 && !flag(SIGNED_ROUTE) && servesApi(controller, handler),
    };
    this.decisions.set(handler, decision);
    return decision;
  }

  private async count(context: ExecutionContext): Promise<void> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    // One window per client (an IPv6 client by its /64, as @nestjs/throttler tracks it), across routes.
    const client = normalizeIp(req.ip ?? '');
    const hit = await this.storage.increment(client, this.windowMs, this.limit, this.windowMs, THROTTLER_NAME);
    if (hit.isBlocked) {
      const retryAfter = Math.max(1, Math.ceil(hit.timeToBlockExpire));
      throw new DomainException(ErrorCode.RateLimited, `Too many requests: retry in ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter) },
        details: { limit: this.limit, windowMs: this.windowMs },
      });
    }
    res.setHeader('X-RateLimit-Limit', this.limit);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, this.limit - hit.totalHits));
    res.setHeader('X-RateLimit-Reset', hit.timeToExpire);
  }

  private admit(decision: RouteDecision, context: ExecutionContext): boolean {
    if (!decision.lanOnly && !decision.mobileRefused && !decision.apiKey) return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (decision.lanOnly && !isPrivateAddress(req.ip)) {
      throw new DomainException(
        ErrorCode.LanOnlyViolation,
        'LAN_ONLY is on: only loopback and private-network clients are served',
      );
    }
    if (decision.mobileRefused) {
      throw new DomainException(
        ErrorCode.MobileModeRestriction,
        'MOBILE_MODE is on: this route changes state and is not available',
      );
    }
    if (decision.apiKey) {
      const candidates = [headerValue(req, 'x-api-key'), bearerToken(req)];
      const key = matchingSecret(candidates[0], this.apiKeys) ?? matchingSecret(candidates[1], this.apiKeys);
      if (!key) {
        throw new DomainException(
          ErrorCode.Unauthorized,
          candidates.some(Boolean) ? 'API key is not valid' : 'API key required in x-api-key or Authorization: Bearer',
        );
      }
      this.correlation.identify(keyIdOf(key));
    }
    return true;
  }
}

/** API keys guard the `/api` routes and the OpenAI-compatible `/v1` ones: read from the controller's and the handler's paths. */
function servesApi(controller: Type, handler: Function): boolean {
  const paths = (target: object): string[] => {
    const value = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
    return (Array.isArray(value) ? value : [value ?? '']).map((path) => path.replace(/^\/+/, ''));
  };
  return paths(controller).some((base) =>
    paths(handler).some((path) => /^(api|v1)(\/|$)/.test([base, path].filter(Boolean).join('/'))),
  );
}
