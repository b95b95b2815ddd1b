#!/usr/bin/env bash
# Prints the SQL that takes the last committed schema to prisma/schema.prisma.
# Prisma 7's CLI needs a native schema engine it cannot download here, so this uses the Prisma 6.19
# CLI's WebAssembly engine in a scratch folder (see ../shared/ENVIRONMENT.md and docs/MIGRATIONS.md).
# The 6.19 CLI opens a connection through the adapter even for a pure diff: MIGRATION_DIFF_DB names a
# reachable PostgreSQL (default 127.0.0.1:5432/postgres); nothing is written to it.
# Usage: scripts/migration-diff.sh [old-schema-file]   (default: schema.prisma at HEAD; empty if none)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tool=${PRISMA6_DIR:-/tmp/liaison-prisma6}
if [ ! -x "$tool/node_modules/.bin/prisma" ]; then
  mkdir -p "$tool" && (cd "$tool" && echo '{"name":"p6","private":true}' > package.json &&
    npm install --silent --no-audit --no-fund prisma@6.19 @prisma/adapter-pg@6.19 @prisma/client@6.19 pg >/dev/null)
fi
cat > "$tool/prisma.config.ts" <<'CFG'
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => new PrismaPg({ connectionString: process.env.MIGRATION_DIFF_DB ?? 'postgresql://postgres@127.0.0.1:5432/postgres' }),
} as any);
CFG
to6() { sed -e 's/^\(\s*provider\s*=\s*"postgresql"\)/\1\n  url = env("DATABASE_URL")/' -e 's/"prisma-client"/"prisma-client-js"/' -e '/^\s*output\s*=/d' -e '/^\s*moduleFormat\s*=/d'; }
to6 < "$root/prisma/schema.prisma" > "$tool/new.prisma"
export DATABASE_URL=postgresql://unused@127.0.0.1/unused PRISMA_QUERY_ENGINE_LIBRARY="$tool/none" PRISMA_SCHEMA_ENGINE_BINARY="$tool/none"
touch "$tool/none"
old_arg=${1:+$(realpath "$1")}
cd "$tool"
if [ $# -ge 1 ]; then to6 < "$old_arg" > old.prisma; from=(--from-schema-datamodel old.prisma)
elif git -C "$root" show HEAD:prisma/schema.prisma > old.raw 2>/dev/null; then to6 < old.raw > old.prisma; from=(--from-schema-datamodel old.prisma)
else from=(--from-empty); fi
npx prisma migrate diff "${from[@]}" --to-schema-datamodel new.prisma --script
