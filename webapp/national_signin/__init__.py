"""National sign-in: FranceConnect for citizens and Pro Santé Connect for professionals, as
OpenID Connect clients (authorization code with PKCE, state and nonce, a signed ID token
checked against the provider's keys). See docs/national-signin.md."""
