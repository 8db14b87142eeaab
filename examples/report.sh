#!/usr/bin/env bash
# A weekly status report with curl and jq: progress and the deviation
# register of one engagement from GraphQL, and its handover PDF.
#
#   OPSKIT_URL=http://127.0.0.1:8080 OPSKIT_TOKEN=... OPSKIT_ENGAGEMENT=... examples/report.sh
#
# With `eval "$(opskit demo)"`: OPSKIT_TOKEN=$OPSKIT_STAKEHOLDER_TOKEN OPSKIT_ENGAGEMENT=$OPSKIT_DEMO_ENGAGEMENT.
set -euo pipefail
url="${OPSKIT_URL:-http://127.0.0.1:8080}"
out="${OPSKIT_OUT:-handover.pdf}"
: "${OPSKIT_TOKEN:?set OPSKIT_TOKEN}" "${OPSKIT_ENGAGEMENT:?set OPSKIT_ENGAGEMENT}"

query='query($id: ID!) { engagement(id: $id) {
  name customerName status
  progress { activitiesDone activitiesTotal questionsAnswered questionsTotal runbooksBaselined runbooksPlanned openDeviations }
  deviations(first: 100) { nodes { title severity status mitigationPlan } }
  reports { handoverPdf } } }'
body=$(jq -n --arg q "$query" --arg id "$OPSKIT_ENGAGEMENT" '{query: $q, variables: {id: $id}}')
response=$(curl -sSf -H "Authorization: Bearer $OPSKIT_TOKEN" -H 'Content-Type: application/json' -d "$body" "$url/graphql")
if [ "$(jq '.errors | length' <<<"$response")" != "0" ]; then
  jq -r '.errors[] | "error: \(.message) (\(.extensions.code))"' <<<"$response" >&2
  exit 1
fi
jq -r '.data.engagement
  | "\(.customerName): \(.name) [\(.status)]",
    "Activities done:     \(.progress.activitiesDone)/\(.progress.activitiesTotal)",
    "Questions answered:  \(.progress.questionsAnswered)/\(.progress.questionsTotal)",
    "Runbooks baselined:  \(.progress.runbooksBaselined)/\(.progress.runbooksPlanned)",
    "Open deviations:     \(.progress.openDeviations)",
    (.deviations.nodes[] | "  - [\(.severity)] \(.title): \(.status)\(if .mitigationPlan then "" else " (no mitigation plan)" end)")' <<<"$response"

pdf=$(jq -r '.data.engagement.reports.handoverPdf' <<<"$response")
curl -sSf -H "Authorization: Bearer $OPSKIT_TOKEN" -o "$out" "$url$pdf"
echo "Handover document saved to $out"
