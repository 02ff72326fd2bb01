import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  body?: () => string;
  seconds: number;
  connections?: number;
}

/** Requests per second that a server sustains, measured with autocannon. Non-2xx fail loudly. */
export async function requestsPerSecond(options: LoadOptions): Promise<number> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    duration: options.seconds,
    connections: options.connections ?? 20,
    headers: { 'content-type': 'application/json' },
    requests: options.body
      ? [
          {
            method: options.method,
            setupRequest: (req: any) => ({ ...req, body: options.body!() }),
          },
        ]
      : undefined,
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) {
    throw new Error(
      `${options.method ?? 'GET'} ${options.url}: ${bad} failed responses (non-2xx/errors/timeouts)`,
    );
  }
  return result.requests.average;
}
