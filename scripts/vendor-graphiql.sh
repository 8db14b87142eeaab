#!/usr/bin/env bash
# Refreshes the GraphiQL assets served from inside the binary at /graphiql
# (api/assets/graphiql/): the npm packages' own builds of graphiql (UMD
# bundle and stylesheet), react and react-dom (UMD), with their licences and
# versions noted in VERSIONS.md. Needs npm (the npm registry only).
# Usage: scripts/vendor-graphiql.sh [graphiql-version] [react-version]
set -euo pipefail
cd "$(dirname "$0")/.."

GRAPHIQL="${1:-3.9.0}"   # the last major with a browser (UMD) build; 4+ ship ES modules only
REACT="${2:-18.3.1}"     # the last major with UMD builds
out=api/assets/graphiql
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)
for pkg in graphiql react react-dom; do
  mkdir -p "$work/$pkg"
  tar xzf "$work/$pkg"-[0-9]*.tgz -C "$work/$pkg" --strip-components=1
done

rm -rf "$out"
mkdir -p "$out"
cp "$work/graphiql/graphiql.min.js" "$work/graphiql/graphiql.min.css" "$out/"
cp "$work/react/umd/react.production.min.js" "$out/"
cp "$work/react-dom/umd/react-dom.production.min.js" "$out/"
for pkg in graphiql react react-dom; do
  cp "$work/$pkg/LICENSE" "$out/LICENSE-$pkg"
done

sum() { sha256sum "$1" | cut -d' ' -f1; }
{
  echo "# Vendored GraphiQL assets"
  echo
  echo "Served by opskit at \`/graphiql\` from inside the binary, so the page works"
  echo "without internet access. Refresh with \`scripts/vendor-graphiql.sh\`; do not edit."
  echo
  echo "| file | npm package | version | licence | sha256 |"
  echo "| --- | --- | --- | --- | --- |"
  echo "| graphiql.min.js | graphiql | $GRAPHIQL | MIT (LICENSE-graphiql) | $(sum "$out/graphiql.min.js") |"
  echo "| graphiql.min.css | graphiql | $GRAPHIQL | MIT (LICENSE-graphiql) | $(sum "$out/graphiql.min.css") |"
  echo "| react.production.min.js | react | $REACT | MIT (LICENSE-react) | $(sum "$out/react.production.min.js") |"
  echo "| react-dom.production.min.js | react-dom | $REACT | MIT (LICENSE-react-dom) | $(sum "$out/react-dom.production.min.js") |"
} >"$out/VERSIONS.md"
echo "vendored graphiql $GRAPHIQL, react $REACT into $out"
