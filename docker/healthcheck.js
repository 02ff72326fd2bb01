// Container healthcheck without curl or wget: GET readiness (/health by default) on this
// container's port; exit 0 on 200, 1 on anything else or after the timeout.
const http = require('node:http');

const path = process.argv[2] || '/health';
const port = Number(process.env.PORT || 3000);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 2000);

const request = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (response) => {
  response.resume();
  if (response.statusCode !== 200) console.error(`${path} answered ${response.statusCode}`);
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
request.on('error', (error) => {
  console.error(`${path}: ${error.message}`);
  process.exit(1);
});
