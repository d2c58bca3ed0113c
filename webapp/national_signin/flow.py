"""The authorization code flow, with Authlib: a redirection to the provider carrying a
fresh state, nonce and PKCE challenge kept in the session; then, back from the provider,
the state compared, the code exchanged, the ID token and the userinfo checked."""

import hmac
import time
from dataclasses import dataclass

from authlib.common.security import generate_token
from flask import session

from webapp.national_signin.providers import Unavailable
from webapp.national_signin.tokens import Refused, id_token_claims, userinfo

SESSION_KEY = "national_signin"
FLOW_TTL = 600  # seconds the person has to sign in at the provider


@dataclass
class Identity:
    """Who the provider says signed in: its stable subject and the claims it gave."""

    provider: str
    subject: str
    claims: dict
    id_token: str = ""  # kept to end the provider's session at sign-out


def start(provider, next_url=""):
    """The provider's authorization address; the flow's secrets stay in the session."""
    metadata = provider.metadata()
    verifier, nonce = generate_token(64), generate_token(32)
    extra = {"acr_values": provider.setting("ACR_VALUES")} if provider.setting(
        "ACR_VALUES") else {}
    url, state = provider.client().create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce, **extra)
    session[SESSION_KEY] = {"provider": provider.name, "state": state, "nonce": nonce,
                            "verifier": verifier, "at": time.time(), "next": next_url}
    return url


def finish(provider, args):
    """The identity of the person back from the provider, or Refused (the flow is used up
    either way: a second try starts again)."""
    pending = session.pop(SESSION_KEY, None)
    if not pending or pending.get("provider") != provider.name \
            or time.time() - pending.get("at", 0) > FLOW_TTL:
        raise Refused("no_flow")
    if not hmac.compare_digest(str(args.get("state", "")), pending["state"]):
        raise Refused("state")
    if args.get("error"):
        raise Refused("cancelled" if args["error"] == "access_denied" else "provider_error")
    if args.get("iss") and args["iss"].rstrip("/") != provider.issuer:  # RFC 9207 mix-up
        raise Refused("issuer")
    if not args.get("code"):
        raise Refused("no_code")
    try:
        metadata = provider.metadata()
        client = provider.client()
        token = client.fetch_token(metadata["token_endpoint"], code=args["code"],
                                   code_verifier=pending["verifier"])
    except Unavailable:
        raise
    except Exception as error:  # the provider refused the code, or answered nonsense
        raise Refused("token") from error
    claims = id_token_claims(token.get("id_token"), provider, pending["nonce"],
                             token.get("access_token"))
    info = userinfo(client, provider, claims["sub"])
    return (Identity(provider.name, claims["sub"], info, token["id_token"]),
            pending.get("next", ""))
