import { EXIT_HELP } from './exit-codes.ts';

export const HELP = `License Server: registers this server with the cloud and reports its usage.

Usage: license-server <command> [flags]

Commands:
  register     Get a registration code, wait until an admin registers it in the console.
                 --server-name N  --hostname H  --os O  --product-version V
                 --no-usage-sharing   (the cloud refuses it; shown to test that refusal)
                 --force              register again even though registered
                 --offline --out request.json  no route to the cloud: write a request file for
                                      the console (Register > Upload a request file) instead
                 --import response.json  take the console's response file; then registered
  status       Confirm the registration with the cloud (a heartbeat) and show it.
  deregister   Remove this server's registration, in the cloud and here.
  upload       Send usage reports (kept in the spool until the cloud has them).
                 --file report.json   a usage report: {"records": [ … ]} (reportId, collectedAt and
                                      server may be left out), or a bare array of records; each record
                                      {periodStart, periodEnd, productCode, edition, licenseModel,
                                      installed, inUse, peakInUse} (schema: docs/protocol.md)
                 --sample-days N      generated usage for the last N days (1-399)
                 (no flag: send what waits in the spool)
                 --offline --out DIR  write the reports (and the spool) as usage files for the
                                      console (License Servers > Upload usage files)
  run          Keep reporting: send the spool, heartbeat hourly, upload the last day's usage
               every interval, retrying with backoff. Stops on SIGINT/SIGTERM.
                 --once               one pass, then exit
                 --interval-seconds S time between uploads (default 86400)
  check        Test each thing this server needs from the cloud; say what fails and why.

Common flags:
  --cloud URL       the cloud (default: the one registered with, else $LICENSE_SERVER_CLOUD_URL,
                    else http://localhost:8080)
  --state-dir DIR   where the credential and the spool live (default $LICENSE_SERVER_STATE_DIR,
                    else .data/license-server)
  --proxy URL       use this proxy (default: HTTPS_PROXY / HTTP_PROXY, minus NO_PROXY)
  --help            this text

${EXIT_HELP}
`;
