'use strict';
// A bare NestJS application: default platform-express, no middleware, guards, pipes or
// logging, one controller answering fixed JSON. It is the baseline every HTTP figure of
// the bench is compared with.
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

const routes = JSON.parse(process.env.BARE_ROUTES || '{}');

class BareController {}
for (const [path, body] of Object.entries(routes)) {
  const method = `get_${path.replace(/\W/g, '_')}`;
  BareController.prototype[method] = () => body;
  const descriptor = Object.getOwnPropertyDescriptor(BareController.prototype, method);
  Reflect.decorate([Get(path)], BareController.prototype, method, descriptor);
}
Reflect.decorate([Controller()], BareController);

class BareModule {}
Reflect.decorate([Module({ controllers: [BareController] })], BareModule);

(async () => {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
})();
