// The operations the example portal runs. GraphQL Code Generator reads them
// and types them from schema.graphql (`npm run codegen`).
import { graphql } from './gql/index.js';

/** The caller's engagements and what they may do in each. */
export const MyEngagements = graphql(`
  query MyEngagements($first: Int) {
    viewer {
      name
      engagements(first: $first) {
        totalCount
        nodes {
          id
          name
          customerName
          viewerRole
          viewerCan {
            manageMembers
            createCustomRunbook
          }
        }
      }
    }
  }
`);

/** A runbook with the buttons to show for it. */
export const RunbookActions = graphql(`
  query RunbookActions($id: ID!) {
    node(id: $id) {
      __typename
      ... on Runbook {
        id
        title
        status
        version
        viewerCan {
          edit
          submit
          approve
          requestChanges
          baseline
          revise
        }
      }
    }
  }
`);

/** Approves a runbook or asks for changes. */
export const ReviewRunbook = graphql(`
  mutation ReviewRunbook($input: ReviewRunbookInput!) {
    reviewRunbook(input: $input) {
      runbook {
        id
        status
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
