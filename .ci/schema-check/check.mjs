// Decides whether schema changes are on purpose: every breaking change
// between the old and the new schema must be named in CHANGELOG.md by its
// path (e.g. `Engagement.viewerRole`). Usage: node check.mjs OLD NEW CHANGELOG
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { diff, CriticalityLevel } from '@graphql-inspector/core';

const [oldPath, newPath, changelogPath] = process.argv.slice(2);
const load = (path) => buildSchema(readFileSync(path, 'utf8'));
const changes = await diff(load(oldPath), load(newPath));
const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
const changelog = readFileSync(changelogPath, 'utf8');
const unnamed = breaking.filter((c) => !c.path || !changelog.includes(c.path));
for (const c of breaking) {
  const named = unnamed.includes(c) ? 'NOT in CHANGELOG.md' : 'named in CHANGELOG.md';
  console.log(`breaking: ${c.path ?? '(schema)'}: ${c.message} — ${named}`);
}
if (unnamed.length > 0) {
  console.log(`${unnamed.length} breaking change(s) not named in CHANGELOG.md: name each path there (e.g. \`${unnamed[0].path}\`) with what clients must do.`);
  process.exit(1);
}
console.log(`schema check: ${changes.length} change(s), ${breaking.length} breaking, all named`);
