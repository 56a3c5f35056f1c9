// A real OpenID Provider (oidc-provider 9.x) for device-signin's interop tests.
//
// Started by tests/interop.rs as `node server.js`. It listens on 127.0.0.1,
// on PORT (default 0: a free port), and prints one line when ready:
//
//   READY http://127.0.0.1:<port>
//
// Environment:
//   PORT              port to bind (0 = any free port)
//   DEVICE_CODE_TTL   device code lifetime in seconds (default 600)
//   ACCESS_TOKEN_TTL  access token lifetime in seconds (default 3600)
//   TLS_CERT, TLS_KEY PEM files: serve HTTPS with this certificate, and the
//                     issuer is https://<TLS_HOST, default 127.0.0.1>:<port>
//
// Clients:
//   public-client  token_endpoint_auth_method none, ID tokens signed RS256
//   secret-client  client_secret_post with secret `interop-secret`, ID tokens ES256
//
// The user pages are oidc-provider's development interactions: any login and
// password are accepted; the login becomes the account id.

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT ?? 0);
const deviceCodeTtl = Number(process.env.DEVICE_CODE_TTL ?? 600);
const accessTokenTtl = Number(process.env.ACCESS_TOKEN_TTL ?? 3600);

function jwk(type, options, kid, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

// Fresh keys per run: both algorithms device-signin must verify.
const keys = [
  jwk('rsa', { modulusLength: 2048 }, 'rsa-1', 'RS256'),
  jwk('ec', { namedCurve: 'P-256' }, 'ec-1', 'ES256'),
];

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

async function startServer() {
  // The issuer needs the port, so bind first and attach the provider after.
  let handler = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const tls = process.env.TLS_CERT && process.env.TLS_KEY;
  const server = tls
    ? createTlsServer(
        { cert: readFileSync(process.env.TLS_CERT), key: readFileSync(process.env.TLS_KEY) },
        (req, res) => handler(req, res),
      )
    : createServer((req, res) => handler(req, res));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const issuer = tls
    ? `https://${process.env.TLS_HOST ?? '127.0.0.1'}:${server.address().port}`
    : `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'public-client',
        client_name: 'device-signin interop (public)',
        token_endpoint_auth_method: 'none',
        grant_types: [deviceGrant, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        id_token_signed_response_alg: 'RS256',
      },
      {
        client_id: 'secret-client',
        client_secret: 'interop-secret',
        client_name: 'device-signin interop (confidential)',
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: [deviceGrant, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys },
    cookies: { keys: ['device-signin-interop-cookie-key'] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            name: `Test User ${sub}`,
            preferred_username: sub,
            email: `${sub}@example.test`,
            email_verified: true,
          };
        },
      };
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
    },
    // Refresh tokens for device grants: whenever the client may refresh and
    // asked for offline access.
    async issueRefreshToken(_ctx, client, code) {
      return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
    },
    ttl: {
      AccessToken: accessTokenTtl,
      DeviceCode: deviceCodeTtl,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      Interaction: 600,
      Session: 3600,
    },
  });
  provider.proxy = false;
  const callback = provider.callback();
  handler = callback;

  // One line on stdout tells the test where to go.
  process.stdout.write(`READY ${issuer}\n`);
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}

startServer().catch((err) => {
  process.stderr.write(`server.js: ${err.stack ?? err}\n`);
  process.exit(1);
});
