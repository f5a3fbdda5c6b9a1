import { BlockList, isIPv4 } from 'node:net';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Env } from '../../infra/config/env.schema';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';
import { INFRA_ROUTE } from './route-policy';

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

@Injectable()
export class LanOnlyGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(
    config: ConfigService<Env, true>,
    private readonly reflector: Reflector,
  ) {
    this.enabled = config.get('LAN_ONLY', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.enabled) return true;
    if (this.reflector.getAllAndOverride<boolean>(INFRA_ROUTE, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    if (isPrivateAddress(req.ip)) return true;
    throw new DomainException(
      ErrorCode.LanOnlyViolation,
      'LAN_ONLY is on: only loopback and private-network clients are served',
    );
  }
}
