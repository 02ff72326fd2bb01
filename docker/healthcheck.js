// Container healthcheck without curl or wget: GET readiness (/health by default) where the API
// listens (HOST, PORT); exit 0 on 200, 1 on anything else or after the timeout. While the port
// refuses connections (the API is still starting) it asks again every 50 ms within the timeout,
// so the probe that comes during start-up reports healthy as soon as the API is ready, instead
// of failing and leaving it to the next probe (start_interval later, and another Node start).
const http = require('node:http');

const path = process.argv[2] || '/health';
const port = Number(process.env.PORT || 3000);
// Where the API listens (HOST): 127.0.0.1 when that is every address (0.0.0.0, ::, unset), else
// that one address (::1, the container's own), which 127.0.0.1 would not reach.
const listen = (process.env.HOST || '').trim().replace(/^\[(.*)\]$/, '$1');
const host = ['', '0.0.0.0', '::'].includes(listen) ? '127.0.0.1' : listen;
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 2000);
const RETRY_MS = 50;
const deadline = Date.now() + timeoutMs;
const TIMED_OUT = `no answer within ${timeoutMs} ms`;

function fail(message) {
  console.error(`${path}: ${message}`);
  process.exit(1);
}

function probe() {
  const left = deadline - Date.now();
  if (left <= 0) return fail(TIMED_OUT);
  const request = http.get({ host, port, path, timeout: left }, (response) => {
    response.resume();
    if (response.statusCode !== 200) console.error(`${path} answered ${response.statusCode}`);
    process.exit(response.statusCode === 200 ? 0 : 1);
  });
  request.on('timeout', () => request.destroy(new Error(TIMED_OUT)));
  request.on('error', (error) => {
    if (error.code === 'ECONNREFUSED' && deadline - Date.now() > RETRY_MS) {
      setTimeout(probe, RETRY_MS);
    } else {
      fail(error.message);
    }
  });
}

probe();
