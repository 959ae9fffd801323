// `pnpm vigil-redaction explain '<text>'`: what libs/redaction would replace in a text, by which rule.
//   pnpm vigil-redaction explain 'user a@b.io token=abc123'
//   cat event.json | pnpm vigil-redaction explain --json
//   pnpm vigil-redaction explain --policy deploy/redaction.json '...'   (hash key: REDACTION_HASH_KEY)
// Found values are printed by their first 2 characters and length only. The code is the library's own
// (src/cli.ts), built first when its output is missing or stale.
import { requireBuilt } from './built-lib.mjs';

const { runCli } = requireBuilt('cli', 'vigil-redaction');

const readStdin = async () => {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
};

process.exitCode = await runCli({
  args: process.argv.slice(2),
  env: process.env,
  readStdin,
  write: (text) => process.stdout.write(text),
  writeError: (text) => process.stderr.write(text),
});
