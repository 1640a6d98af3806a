/**
 * The reference for code issuance: node-oidc-provider's device authorization endpoint
 * (RFC 8628), in-memory adapter, one public client allowed the device_code grant.
 * Started by bench/servers.ts in a process of its own; listens on 127.0.0.1:$PORT.
 */
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'bench',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'none',
    },
  ],
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
  features: { devInteractions: { enabled: false }, deviceFlow: { enabled: true } },
  // As long as our codes live (CODE_TTL_SECONDS).
  ttl: { DeviceCode: 900 },
});
// Quiet: the bench reads results from the load generator, not from logs.
provider.on('server_error', (_ctx: unknown, error: Error) => console.error('oidc-provider:', error.message));

createServer(provider.callback()).listen(port, '127.0.0.1');
console.log(`oidc-provider at ${issuer}`);
