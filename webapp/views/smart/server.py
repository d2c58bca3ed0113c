"""The OAuth 2 endpoints of SMART App Launch: authorise (sign-in, which space, consent
scope by scope), token, revocation, and the discovery documents."""

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidScopeError
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from flask import Blueprint, current_app, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from webapp import policy
from webapp.access import Access
from webapp.guards import public, roles, signed_in_user
from webapp.ratelimit import OAUTH_PER_ADDRESS, OAUTH_PER_CLIENT
from webapp.rendering import render
from webapp.scopes import HOLDER_SIDE, Scope
from webapp.security import allow_form_target
from webapp.smart import clients, consents, idtoken, server
from webapp.smart import scopes as smart_scopes
from webapp.smart.forms import ConsentForm, SpaceForm

bp = Blueprint("smart", __name__)
WAYS = ("client_secret_basic", "client_secret_post", "none")


@bp.record_once
def _setup(state):
    """One authorisation server per app; the token and revocation endpoints are called by
    software, without a CSRF token (they take no cookie)."""
    server.create_server(state.app)
    csrf = state.app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(token)
        csrf.exempt(revoke)


def _server():
    return current_app.extensions["smart_server"]


def _error_page(message, status=400):
    return render("smart/error.html", title=_("Cette demande d'accès ne peut pas aboutir"),
                  message=message, status=status)


@bp.route("/oauth/authorize", methods=["GET", "POST"])
@roles("citizen", "professional")
def authorize():
    """Ask the signed-in person: which space (a citizen's own or a child's), then yes or
    no for each scope not answered before; a remembered answer is not asked again."""
    if not request.args:
        return redirect(url_for("home.index"))
    user = signed_in_user()
    try:
        grant = _server().get_consent_grant(end_user=user)
    except ValueError:  # Authlib refuses to describe a value with quotes or backslashes
        return _error_page(_("L'application a envoyé une demande incorrecte (%(why)s). "
                             "Revenez à l'application et réessayez.", why="invalid_request"))
    except OAuth2Error as error:
        if error.redirect_uri:
            return _server().handle_error_response(None, error)
        return _error_page(_("L'application a envoyé une demande incorrecte (%(why)s). "
                             "Revenez à l'application et réessayez.",
                             why=error.description or error.error))
    client = grant.request.client.row
    allow_form_target(*clients.form_targets(client))
    if (client.kind == "app") != (user.role == "citizen"):
        return _error_page(_("%(name)s est réservée aux particuliers.", name=client.name)
                           if client.kind == "app" else
                           _("%(name)s est réservé aux professionnels de santé.",
                             name=client.name), status=403)
    requested = (grant.request.scope or "").split()
    if not [s for s in requested if not isinstance(smart_scopes.parse(s), str)]:
        return _deny(grant, "invalid_scope")
    space = None
    if user.role == "citizen":
        spaces = policy.spaces_for(user)
        if not spaces:
            return _error_page(_("Vous n'avez pas d'espace santé actif auquel donner accès."))
        chosen = {s.ref: s for s in spaces}.get(request.args.get("espace", "")[:16])
        if chosen is None and len(spaces) > 1:
            return _choose_space(client, spaces)
        space = chosen or spaces[0]
    consent = consents.current(user, client, space)
    asked = consents.to_ask(consent, requested)
    form = ConsentForm.build(asked)
    if request.method == "POST" and request.form.get("decision") == "refuse":
        return _deny(grant)
    if not asked and (request.method == "GET" or form.validate_on_submit()):
        return _approve(grant, user, space, consent, requested)  # remembered: nothing new
    if form.validate_on_submit():
        access = _space_access(user, space)
        granted, refused = form.answers()
        consent = consents.remember(user, client, space, granted, refused, access=access)
        return _approve(grant, user, space, consent, requested)
    return render("smart/authorize.html", title=_("Autoriser %(name)s", name=client.name),
                  form=form, client=client, space=space, remembered=consent,
                  granted=[smart_scopes.describe(s) for s in requested
                           if consent and s in consent.granted_set],
                  action=request.full_path)


def _choose_space(client, spaces):
    form = SpaceForm(spaces, request.args)
    if "espace" in request.args:
        form.validate()
    hidden = [(k, v) for k, v in request.args.items(multi=True) if k != "espace"]
    return render("smart/choose_space.html", title=_("Autoriser %(name)s", name=client.name),
                  form=form, client=client, hidden=hidden)


def _space_access(user, space):
    """The request's access to the chosen space: the holder's side only; logged."""
    if space is None:
        return None
    g.access = Access.open(user, space.ref)
    g.access.require(Scope.PRIVACY, HOLDER_SIDE)
    return g.access


def _approve(grant, user, space, consent, requested):
    """A code for the scopes accepted among those requested; none accepted: denied."""
    granted = [s for s in requested if s in consent.granted_set]
    if not [s for s in granted if not isinstance(smart_scopes.parse(s), str)]:
        return _deny(grant)
    grant.request.smart_granted = " ".join(granted)
    grant.request.smart_space, grant.request.smart_consent = space, consent
    return _server().create_authorization_response(grant_user=user, grant=grant)


def _deny(grant, error="access_denied"):
    """Back to the client with an error (RFC 6749 §4.1.2.1)."""
    if error == "access_denied":
        return _server().create_authorization_response(grant_user=None, grant=grant)
    failure = InvalidScopeError(redirect_uri=grant.request.payload.redirect_uri,
                                state=grant.request.payload.state)
    return _server().handle_error_response(None, failure)


def _cors(response):
    """Browser apps call these from their own origin; no cookie is ever read here."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
    return response


def _client_key():
    """The client id the request names (form, or HTTP Basic for confidential clients)."""
    named = request.form.get("client_id") or (
        request.authorization.username if request.authorization else "") or "-"
    return named[:200]


def _throttled():
    """429 with an OAuth JSON error past the rate of this address, then of this client
    (OAUTH_RATE_PER_ADDRESS, OAUTH_RATE_PER_CLIENT); None within both."""
    for rate, key in ((OAUTH_PER_ADDRESS, get_remote_address()),
                      (OAUTH_PER_CLIENT, _client_key())):
        if not rate.hit(key):
            response = jsonify(error="temporarily_unavailable",
                               error_description="Too many requests; retry later")
            response.status_code = 429
            response.headers["Retry-After"] = str(rate.retry_seconds(key))
            response.headers["Cache-Control"] = "no-store"
            return response
    return None


@bp.route("/oauth/token", methods=["POST"])
@public
def token():
    """Codes (with their PKCE verifier) and refresh tokens for tokens."""
    return _cors(_throttled() or _answer(_server().create_token_response))


@bp.route("/oauth/revoke", methods=["POST"])
@public
def revoke():
    """RFC 7009: the token stops at once; an unknown token answers 200 too."""
    return _cors(_throttled() or _answer(
        lambda: _server().create_endpoint_response("revocation")))


def _answer(respond):
    """Authlib's answer; a value it cannot put in an error description (quotes,
    backslashes, non-ASCII) is an invalid request rather than a server error."""
    try:
        return respond()
    except ValueError:
        response = jsonify(error="invalid_request")
        response.status_code = 400
        return response


def _urls():
    return dict(
        issuer=idtoken.issuer(), jwks_uri=url_for("smart.jwks", _external=True),
        authorization_endpoint=url_for("smart.authorize", _external=True),
        token_endpoint=url_for("smart.token", _external=True),
        revocation_endpoint=url_for("smart.revoke", _external=True),
    )


def _scopes_supported():
    resources = [str(s) for s, _label in smart_scopes.table() if "/" in s and "." in s]
    return resources + list(smart_scopes.SPECIAL)


@bp.route("/.well-known/oauth-authorization-server")
@public
def oauth_metadata():
    """RFC 8414 authorisation server metadata."""
    metadata = AuthorizationServerMetadata(
        **_urls(), response_types_supported=["code"],
        grant_types_supported=["authorization_code", "refresh_token"],
        code_challenge_methods_supported=["S256"],
        token_endpoint_auth_methods_supported=list(WAYS),
        revocation_endpoint_auth_methods_supported=list(WAYS),
        scopes_supported=_scopes_supported(),
        service_documentation=url_for("home.index", _external=True),
        id_token_signing_alg_values_supported=[idtoken.ALG], subject_types_supported=["public"])
    metadata.validate()
    return _cors(jsonify(dict(metadata)))


@bp.route("/fhir/.well-known/smart-configuration")
@public
def smart_configuration():
    """SMART App Launch discovery, at the FHIR base."""
    urls = _urls()
    return _cors(jsonify(
        **urls, grant_types_supported=["authorization_code", "refresh_token"],
        response_types_supported=["code"], code_challenge_methods_supported=["S256"],
        token_endpoint_auth_methods_supported=list(WAYS), scopes_supported=_scopes_supported(),
        id_token_signing_alg_values_supported=[idtoken.ALG],
        capabilities=["launch-standalone", "client-public", "client-confidential-symmetric",
                      "sso-openid-connect",
                      "context-standalone-patient", "permission-offline", "permission-patient",
                      "permission-user", "permission-v2"]))


@bp.route("/oauth/jwks")
@public
def jwks():
    """The public key that signs ID tokens (JWK Set)."""
    return _cors(jsonify(idtoken.jwks()))
