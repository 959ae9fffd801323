// `npm test`: installs what is missing, then checks formatting and runs build, lint, typecheck and every test
// (unit and integration, against real nats-server and Postgres) for every project. Extra arguments go to nx,
// e.g. `npm test -- -p @vigil/testing`.
import { bootstrap, log } from './bootstrap.mjs';

const started = Date.now();
const { pnpm } = await bootstrap('test');

// Ctrl-C reaches the children directly (same process group): let them finish and report their exit code.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);

log('checking formatting (prettier --check .)…');
const prettier = await pnpm(['exec', 'prettier', '--check', '.']);

log('running build, lint, typecheck and test for every project (nx run-many)…');
const nx = await pnpm([
  'exec',
  'nx',
  'run-many',
  '-t',
  'build',
  'lint',
  'typecheck',
  'test',
  '--outputStyle=stream',
  ...process.argv.slice(2),
]);

const seconds = Math.round((Date.now() - started) / 1000);
const part = (name, code) => `${name} ${code === 0 ? 'ok' : `FAILED (exit ${code})`}`;
const ok = prettier === 0 && nx === 0;
log(
  `${ok ? 'all checks passed' : 'checks FAILED'}: ${part('formatting', prettier)}, ${part('build/lint/typecheck/test', nx)} in ${seconds} s`,
);
process.exit(ok ? 0 : nx || prettier);
