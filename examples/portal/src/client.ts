// A minimal typed client for opskit's GraphQL API: each call takes a typed
// document (from ./operations.ts, typed by GraphQL Code Generator from
// schema.graphql), so a wrong field, argument or variable is a type error.
// Queries go as automatic persisted queries (APQ): the hash first, the text
// only when the server asks for it (PERSISTED_QUERY_NOT_FOUND).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createHash } from 'node:crypto';

/** A top-level GraphQL error, with its `extensions.code`. */
export class OpskitError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** The API, e.g. `https://opskit.example.com/graphql`. */
  url: string;
  /** A JWT from the identity provider. */
  token: string;
}

interface GraphQLResponse<R> {
  data?: R | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export type Request = <R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables: V,
) => Promise<R>;

/** A function that runs typed operations against one opskit server. */
export function createClient({ url, token }: ClientOptions): Request {
  const send = async <R>(body: Record<string, unknown>): Promise<GraphQLResponse<R>> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return (await response.json()) as GraphQLResponse<R>;
  };
  return async (document, variables) => {
    const query = print(document);
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    let result = await send<never>({ variables, extensions: { persistedQuery } });
    if (result.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) {
      result = await send({ query, variables, extensions: { persistedQuery } });
    }
    const error = result.errors?.[0];
    if (error) {
      throw new OpskitError(error.message, error.extensions?.code);
    }
    if (result.data == null) {
      throw new OpskitError('no data in the response', undefined);
    }
    return result.data;
  };
}
