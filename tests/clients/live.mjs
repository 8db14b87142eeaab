// Subscribes to `engagementEvents` with the real graphql-ws (WebSocket) and
// graphql-sse (Server-Sent Events) clients, from the cursor in AFTER.
// Prints `ready` once both clients have received REPLAY replayed events, then
// waits for one more (live) event on each and prints
// {"ws": [types...], "sse": [types...]} before exiting.
//
// Environment: OPSKIT_URL (http://host:port), OPSKIT_TOKEN, ENGAGEMENT_ID, AFTER, REPLAY.
import WebSocket from 'ws';
import { createClient as createWsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';

const { OPSKIT_URL, OPSKIT_TOKEN, ENGAGEMENT_ID, AFTER } = process.env;
const replay = Number(process.env.REPLAY);
const query = `subscription($id: ID!, $after: String) {
  engagementEvents(engagementId: $id, after: $after) { cursor type object { __typename id } } }`;
const variables = { id: ENGAGEMENT_ID, after: AFTER };

const ws = createWsClient({
  url: OPSKIT_URL.replace(/^http/, 'ws') + '/graphql',
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${OPSKIT_TOKEN}` },
  retryAttempts: 0,
});
const sse = createSseClient({
  url: OPSKIT_URL + '/graphql',
  headers: { authorization: `Bearer ${OPSKIT_TOKEN}` },
  retryAttempts: 0,
});

const received = { ws: [], sse: [] };
let announced = false;

function collect(name, client) {
  return new Promise((resolve, reject) => {
    const stop = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) return reject(new Error(`${name}: ${JSON.stringify(result.errors)}`));
          received[name].push(result.data.engagementEvents.type);
          if (!announced && received.ws.length >= replay && received.sse.length >= replay) {
            announced = true;
            console.log('ready');
          }
          if (received[name].length === replay + 1) {
            stop();
            resolve();
          }
        },
        error: (err) => reject(err instanceof Error ? err : new Error(`${name}: ${JSON.stringify(err)}`)),
        complete: () => {},
      },
    );
  });
}

const timeout = setTimeout(() => {
  console.error(`timed out; received ${JSON.stringify(received)}`);
  process.exit(2);
}, 20000);

try {
  await Promise.all([collect('ws', ws), collect('sse', sse)]);
  console.log(JSON.stringify(received));
  clearTimeout(timeout);
  await ws.dispose();
  sse.dispose();
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}
