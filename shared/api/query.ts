// Query strings of the HTTP routes. Every route that reads one declares it as a zod object in its route catalogue
// entry (routeCatalogue.ts); the handler validates with that object through functions/http.ts `queryOf`, and the
// OpenAPI document lists the same object's fields as the route's query parameters, so what is documented is what
// is enforced. Parameters a route does not declare are ignored, unless its schema is strict (the simulator's).
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { isManagedClusterId } from '../azure/arm/managedClusterId.js';

/** `code` carries the function key: the Functions host checks it before the route runs; no route reads it. */
const HOST_PARAMETERS = new Set(['code']);

/** `name: what is wrong`, unless the schema's message already starts with the name. */
function problemOf(issue: z.core.$ZodIssue): string {
  const name = issue.path.map(String).join('.');
  return name === '' || issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
}

/**
 * The parameters of `params` (a request's URLSearchParams) validated with `schema`. A blank value counts as absent
 * and the first of repeated values wins, as URLSearchParams.get reads them. ValidationError (HTTP 400) names every
 * wrong parameter in `problems`.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, params: Iterable<[string, string]>): z.output<S> {
  const given = new Map<string, string>();
  for (const [name, value] of params)
    if (!HOST_PARAMETERS.has(name) && value.trim() !== '' && !given.has(name)) given.set(name, value);
  // Object.fromEntries defines own properties, so a parameter named __proto__ is a parameter, not a prototype.
  const parsed = schema.safeParse(Object.fromEntries(given));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(problemOf);
  throw new ValidationError(`Invalid query: ${problems.join('; ')}`, { problems });
}

/** `?cluster=`: an AKS managed cluster ARM resource id (required unless the caller makes it optional). */
export const clusterIdParam = z
  .string({ error: 'required (the AKS managed cluster resource id)' })
  .trim()
  .refine(isManagedClusterId, {
    error: (issue) =>
      `must be an AKS managed cluster resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>), got '${String(issue.input).slice(0, 300)}'`,
  });

/** A whole number from `min` to `max`, written in the query as digits. */
export function wholeNumberParam(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}
