#!/usr/bin/env python3
"""Readiness per capability of one engagement, with the `gql` client.

    OPSKIT_URL=http://127.0.0.1:8080 OPSKIT_TOKEN=... OPSKIT_ENGAGEMENT=... python3 examples/report.py

Install the client with `pip install "gql[requests]"`.
"""

import os
import sys

from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport

QUERY = gql(
    """
    query Readiness($id: ID!) {
      engagement(id: $id) {
        name
        customerName
        status
        progress {
          capabilities {
            capability { name }
            discoveryStatus
            designStatus
            questionsAnswered
            questionsTotal
            readinessLevel
          }
        }
        readinessAssessments { capability { name } level findings }
      }
    }
    """
)


def main() -> int:
    url = os.environ.get("OPSKIT_URL", "http://127.0.0.1:8080")
    token = os.environ["OPSKIT_TOKEN"]
    engagement_id = os.environ["OPSKIT_ENGAGEMENT"]
    transport = RequestsHTTPTransport(url=f"{url}/graphql", headers={"Authorization": f"Bearer {token}"})
    with Client(transport=transport, fetch_schema_from_transport=False) as session:
        result = session.execute(QUERY, variable_values={"id": engagement_id})
    engagement = result["engagement"]
    findings = {a["capability"]["name"]: a["findings"] for a in engagement["readinessAssessments"]}
    print(f"{engagement['customerName']}: {engagement['name']} [{engagement['status']}]")
    print(f"{'capability':<45} {'discovery':<12} {'design':<12} {'answers':>8}  readiness")
    for row in engagement["progress"]["capabilities"]:
        name = row["capability"]["name"]
        answers = f"{row['questionsAnswered']}/{row['questionsTotal']}"
        readiness = row["readinessLevel"] or "NOT_ASSESSED"
        print(f"{name:<45} {row['discoveryStatus'] or '-':<12} {row['designStatus'] or '-':<12} {answers:>8}  {readiness}")
        if name in findings:
            print(f"{'':<45} findings: {findings[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
