// A real OpenID Connect provider for the national sign-in tests (npm oidc-provider), set up
// like FranceConnect (one scope per identity claim, a signed userinfo) and Pro Santé Connect
// (the RPPS in SubjectNameID), with test people. Never used outside the tests.
//
//   node tests/oidc/provider.mjs PORT     serves http://127.0.0.1:PORT/fc and /psc
//
// Authorization code only, PKCE (S256) required, ID tokens signed RS256 with a key made at
// start. Clients are "native" so that any loopback port of the app under test is a valid
// redirect URI (RFC 8252, as the provider implements it); the path must be the registered one.
// POST /<issuer>/__test/next-id-token {"id_token": "..."} makes the next token response
// carry that ID token instead: what a man in the middle or a rogue provider would send.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.argv[2] || 0);
const origin = `http://127.0.0.1:${port}`;
const PASSWORD = 'test-Connexion-2026';

// FranceConnect's identity claims, each under a scope of its own name
const FC_CLAIMS = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace',
  'birthcountry', 'preferred_username', 'email'];
const FC_PEOPLE = {
  // the demo space "camille" (webapp/seed): every INS trait matches
  camille: { given_name: 'Camille Marie', family_name: 'MARTIN', birthdate: '1984-05-14',
    gender: 'female', birthplace: '75056', birthcountry: '99100', email: 'c.martin@fc.test' },
  // the demo space "jean"
  jean: { given_name: 'Jean Michel', family_name: 'DUPONT', birthdate: '1975-01-22',
    gender: 'male', birthplace: '69123', birthcountry: '99100' },
  // the demo space "nadia", created but not activated yet
  nadia: { given_name: 'Nadia', family_name: 'BENALI', birthdate: '1995-03-08',
    gender: 'female', birthplace: '13055', birthcountry: '99100' },
  // Camille's namesake: same names and birth date, born elsewhere (no space)
  homonyme: { given_name: 'Camille Marie', family_name: 'MARTIN', birthdate: '1984-05-14',
    gender: 'female', birthplace: '33063', birthcountry: '99100' },
  // nobody the service knows
  inconnu: { given_name: 'Pierre Yves', family_name: 'DURAND', birthdate: '1990-07-01',
    gender: 'male', birthplace: '', birthcountry: '99134' },
};
// Pro Santé Connect: SubjectNameID is the national identifier, "8" followed by the RPPS
const PSC_PEOPLE = {
  bernard: { SubjectNameID: '810001234565', preferred_username: '810001234565',
    given_name: 'Paul', family_name: 'BERNARD' },
  // an RPPS the tests give to a deactivated account
  desactive: { SubjectNameID: '810099999996', preferred_username: '810099999996',
    given_name: 'Marc', family_name: 'ARRET' },
  // an RPPS without any account
  inconnu: { SubjectNameID: '810088888887', preferred_username: '810088888887',
    given_name: 'Zoé', family_name: 'NOUVELLE' },
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

function client(id, path, extra = {}) {
  return {
    client_id: id,
    client_secret: `${id}-secret`,
    application_type: 'native',
    redirect_uris: [`http://127.0.0.1${path}`, `http://localhost${path}`],
    post_logout_redirect_uris: ['http://127.0.0.1/connexion', 'http://localhost/connexion'],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
    ...extra,
  };
}

function configuration(mount, people, clients, claims, label) {
  return {
    clients,
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-only-cookie-key'] },
    claims,
    scopes: ['openid', ...Object.keys(claims).filter((s) => s !== 'openid')],
    acrValues: ['eidas1'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page(`${label} : déconnexion`, `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`);
        },
      },
    },
    interactions: { url: (ctx, interaction) => `${mount}/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      if (!people[id]) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...people[id] }) };
    },
  };
}

const fcClaims = Object.fromEntries([['openid', ['sub']], ...FC_CLAIMS.map((c) => [c, [c]])]);
const pscClaims = { openid: ['sub'],
  scope_all: ['SubjectNameID', 'preferred_username', 'given_name', 'family_name'] };

const fc = new Provider(`${origin}/fc`, configuration('/fc', FC_PEOPLE, [
  client('msante-fc', '/connexion/franceconnect/retour', { userinfo_signed_response_alg: 'RS256' }),
  // another service using FranceConnect: its ID tokens are not for us
  client('autre-service', '/retour'),
], fcClaims, 'FranceConnect (test)'));
const psc = new Provider(`${origin}/psc`, configuration('/psc', PSC_PEOPLE, [
  client('msante-psc', '/connexion/pro-sante-connect/retour'),
], pscClaims, 'Pro Santé Connect (test)'));

function page(title, body) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title>
</head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString();
  if ((req.headers['content-type'] || '').startsWith('application/json')) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}

function interactions(mount, provider, people, label) {
  let nextIdToken = null;
  return async (ctx, next) => {
    if (ctx.path === '/__test/next-id-token' && ctx.method === 'POST') {
      nextIdToken = (await readForm(ctx.req)).id_token;
      ctx.body = { ok: true };
      return;
    }
    const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login|\/consent|\/abort)?$/);
    if (!match) {
      await next();
      if (ctx.path === '/token' && nextIdToken && ctx.body && ctx.body.id_token) {
        ctx.body = { ...ctx.body, id_token: nextIdToken };
        nextIdToken = null;
      }
      return;
    }
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const action = match[2];
    if (action === '/login' && ctx.method === 'POST') {
      const form = await readForm(ctx.req);
      if (!people[form.login] || form.password !== PASSWORD) {
        ctx.status = 400;
        ctx.body = page(`${label} : identifiant ou mot de passe incorrect`,
          `<p><a href="${mount}/interaction/${details.uid}">Réessayer</a></p>`);
        return;
      }
      await provider.interactionFinished(ctx.req, ctx.res,
        { login: { accountId: form.login, acr: 'eidas1' } }, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    if (action === '/consent' && ctx.method === 'POST') {
      const grant = new provider.Grant({
        accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } },
        { mergeWithLastSubmission: true });
      ctx.respond = false;
      return;
    }
    if (action === '/abort') {
      await provider.interactionFinished(ctx.req, ctx.res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    const base = `${mount}/interaction/${match[1]}`;
    ctx.type = 'html';
    if (details.prompt.name === 'login') {
      ctx.body = page(`${label} : connexion`, `
<form method="post" action="${base}/login">
<p><label for="login">Identifiant</label> <input id="login" name="login" autocomplete="username"></p>
<p><label for="password">Mot de passe</label> <input id="password" name="password" type="password"></p>
<p><button type="submit">Se connecter</button></p></form>
<p><a href="${base}/abort">Annuler et revenir au service</a></p>`);
    } else {
      ctx.body = page(`${label} : autorisation`, `
<p>Le service demande : ${details.params.scope}</p>
<form method="post" action="${base}/consent"><button type="submit">Continuer</button></form>
<p><a href="${base}/abort">Annuler et revenir au service</a></p>`);
    }
  };
}

fc.use(interactions('/fc', fc, FC_PEOPLE, 'FranceConnect (test)'));
psc.use(interactions('/psc', psc, PSC_PEOPLE, 'Pro Santé Connect (test)'));
const fcCallback = fc.callback();
const pscCallback = psc.callback();

const server = http.createServer((req, res) => {
  req.originalUrl = req.url;
  if (req.url.startsWith('/fc/') || req.url === '/fc') {
    req.url = req.url.slice(3) || '/';
    return fcCallback(req, res);
  }
  if (req.url.startsWith('/psc/') || req.url === '/psc') {
    req.url = req.url.slice(4) || '/';
    return pscCallback(req, res);
  }
  res.statusCode = 404;
  return res.end('not found');
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${origin}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
