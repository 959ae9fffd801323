// Baseline (a): a bare NestJS 12 route returning a constant (Express adapter, no middleware, no logger).
// Decorators are applied by hand because this file is plain JavaScript. PORT comes from the environment.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const platformModules = path.resolve(fileURLToPath(import.meta.url), '../../../libs/platform/node_modules');
const load = (name, file) => import(pathToFileURL(path.join(platformModules, name, file)).href);

await load('reflect-metadata', 'Reflect.js');
const { Controller, Get, Module } = await load('@nestjs/common', 'index.js');
const { NestFactory } = await load('@nestjs/core', 'index.js');

class ConstantController {
  constant() {
    return { status: 'ok' };
  }
}
Get('constant')(
  ConstantController.prototype,
  'constant',
  Object.getOwnPropertyDescriptor(ConstantController.prototype, 'constant'),
);
Controller()(ConstantController);

class BareModule {}
Module({ controllers: [ConstantController] })(BareModule);

const app = await NestFactory.create(BareModule, { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
