'use strict';
// A bare NestJS application: default platform-express (its default JSON body parser), no
// middleware, guards, pipes or logging, one controller answering fixed JSON. It is the
// baseline every HTTP figure of the bench is compared with.
// BARE_ROUTES: { "<path>": body } for GET routes, or { "<METHOD> <path>": { status, body } }.
require('reflect-metadata');
const { Controller, Get, HttpCode, Module, Post } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

const routes = JSON.parse(process.env.BARE_ROUTES || '{}');
const METHODS = { GET: Get, POST: Post };

class BareController {}
for (const [key, value] of Object.entries(routes)) {
  const [method, path] = key.includes(' ') ? key.split(' ') : ['GET', key];
  const { status, body } = key.includes(' ') ? value : { status: 200, body: value };
  const name = `${method}_${path.replace(/\W/g, '_')}`;
  BareController.prototype[name] = () => body;
  const descriptor = Object.getOwnPropertyDescriptor(BareController.prototype, name);
  Reflect.decorate([METHODS[method](path), HttpCode(status)], BareController.prototype, name, descriptor);
}
Reflect.decorate([Controller()], BareController);

class BareModule {}
Reflect.decorate([Module({ controllers: [BareController] })], BareModule);

(async () => {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
})();
