import { Body, CanActivate, Controller, Get, Module, Param, Post, UseGuards } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { MobileRestricted, SignedRoute } from '../../src/common/guards/route-policy';

class CreateItemDto {
  @IsString()
  @MaxLength(10)
  name: string;
}

class DenyAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/**
 * Routes a test mounts through createApp({ modules }) to reach pipeline behaviour that no
 * product route of the foundation exercises (a mutating route, an unexpected crash).
 */
@Controller('api/probe')
class ProbeController {
  @Get('items/:id')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Post('items')
  @MobileRestricted()
  create(@Body() body: CreateItemDto): { created: string } {
    return { created: body.name };
  }

  @Get('crash')
  crash(): never {
    throw new Error('connection to postgres://admin:hunter2@db failed');
  }

  @Post('signed')
  @SignedRoute()
  signed(): { accepted: true } {
    return { accepted: true };
  }

  @Get('denied')
  @UseGuards(DenyAll)
  denied(): string {
    return 'unreachable';
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
