import type { FastifyInstance } from 'fastify';

/** The methods the routes serve, in the order an `Allow` header lists them. */
export const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods some route serves at `url` (a query string is ignored), for a request no route
 * matched: none when the path is unknown (a 404), else what its 405's `Allow` lists. OPTIONS is
 * not probed: with CORS on, the preflight route matches every path.
 */
export function allowedMethods(fastify: FastifyInstance, url: string): string[] {
  return ROUTE_METHODS.filter((method) => fastify.findRoute({ method, url }) !== null);
}
