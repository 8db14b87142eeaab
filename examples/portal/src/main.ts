// The example portal's entry point: lists the caller's engagements, then
// approves a runbook when the caller may. OPSKIT_URL and OPSKIT_TOKEN say where
// and who; OPSKIT_RUNBOOK names a runbook to look at.
import { createClient } from './client.js';
import { MyEngagements, ReviewRunbook, RunbookActions } from './operations.js';

const request = createClient({
  url: process.env.OPSKIT_URL ?? 'http://127.0.0.1:8080/graphql',
  token: process.env.OPSKIT_TOKEN ?? '',
});

const { viewer } = await request(MyEngagements, { first: 20 });
console.log(`${viewer.name ?? 'You'}: ${viewer.engagements.totalCount} engagement(s)`);
for (const engagement of viewer.engagements.nodes) {
  const role: string = engagement.viewerRole ?? 'ADMIN';
  console.log(`- ${engagement.name} (${engagement.customerName}) as ${role}`);
}

const runbookId = process.env.OPSKIT_RUNBOOK;
if (runbookId) {
  const { node } = await request(RunbookActions, { id: runbookId });
  if (node?.__typename === 'Runbook' && node.viewerCan.approve) {
    const { reviewRunbook } = await request(ReviewRunbook, {
      input: { runbookId: node.id, verdict: 'APPROVE', expectedVersion: node.version },
    });
    for (const e of reviewRunbook.userErrors) {
      console.log(`refused: ${e.code}: ${e.message}`);
    }
  }
}
