import type { NextFunction, Request, Response } from 'express';

import { findUnstorable, textProblem, type StorableProblem } from '@vigil/contracts';

import type { ErrorBody } from '../errors/http-exception.filter';

/**
 * Deepest JSON body any route reads. Deeper bodies are refused before a handler walks them (the alert,
 * silence and action bodies nest four levels; audit events sixteen).
 */
const MAX_BODY_DEPTH = 64;
/** Keys of one object or items of one array in a body, query string or path. */
const MAX_ENTRIES = 10_000;

/** Injection token: PlatformOptions.itemCheckedBodies, the paths whose body a route checks item by item. */
export const ITEM_CHECKED_BODIES = 'vigil:item-checked-bodies';

/**
 * Every request's path, query string and JSON body must hold only what Postgres and JavaScript keep
 * unchanged (libs/contracts' storable rules: no NUL, no lone surrogate, no `__proto__` key, bounded
 * depth). Checked once here, ahead of every handler, so no route can turn such input into a 500 from
 * Postgres or a silently altered row; routes still check their own fields' types, lengths and times.
 * The bodies of `itemCheckedPaths` (batches whose route checks each item, so that one bad item does
 * not refuse the others) are left to their route; their path and query are still checked here.
 */
export function rejectUnstorableInput(
  itemCheckedPaths: readonly string[] = [],
): (req: Request, res: Response, next: NextFunction) => void {
  const itemChecked = new Set(itemCheckedPaths);
  return (req, res, next) => {
    const problem = unstorableRequestProblem(req, !itemChecked.has(req.path));
    if (problem) refuseUnstorable(res, problem);
    else next();
  };
}

function refuseUnstorable(res: Response, problem: StorableProblem): void {
  const body: ErrorBody = {
    error: 'bad_request',
    message: `${problem.path}: ${problem.message}`,
    details: { field: problem.path },
  };
  res.status(400).type('application/json').send(JSON.stringify(body));
}

/** The first unstorable part of `req` (path, then query, then body), named as `path`, `query.x` or `body.x`. */
function unstorableRequestProblem(
  req: Pick<Request, 'path' | 'query' | 'body'>,
  checkBody: boolean,
): StorableProblem | undefined {
  const path = decodedPathProblem(req.path);
  if (path) return { path: 'path', message: path };
  const limits = { maxDepth: MAX_BODY_DEPTH, maxEntries: MAX_ENTRIES };
  return (
    findUnstorable(req.query, limits, 'query') ??
    (checkBody ? findUnstorable(req.body, limits, 'body') : undefined)
  );
}

/** Path parameters are percent-decoded by the router: refuse what decodes to unstorable text, or fails to decode. */
function decodedPathProblem(path: string): string | undefined {
  if (!path.includes('%')) return undefined;
  try {
    return textProblem(decodeURIComponent(path));
  } catch {
    return 'must be valid percent-encoded UTF-8';
  }
}
