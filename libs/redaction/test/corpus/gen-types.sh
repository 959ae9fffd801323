#!/bin/sh
# Type-checks score.mjs (strict, from its JSDoc) and writes score.d.mts, the types the jest specs import.
set -e
cd "$(dirname "$0")"
pnpm exec tsc --ignoreConfig --allowJs --checkJs --strict --declaration --emitDeclarationOnly --target es2023 \
  --module nodenext --moduleResolution nodenext --types node --skipLibCheck score.mjs
{ echo '// Generated from score.mjs by gen-types.sh: do not edit.'; cat score.d.mts; } > score.d.mts.tmp
mv score.d.mts.tmp score.d.mts
pnpm exec prettier --write --log-level warn score.d.mts
