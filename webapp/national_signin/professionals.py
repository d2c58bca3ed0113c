"""Pro Santé Connect for professionals: the RPPS number it gives names the account.

Pro Santé Connect's SubjectNameID (and preferred_username) is the national identifier of
the professional, "8" followed by the 11-digit RPPS number."""

from webapp.models.accounts import User
from webapp.pro.identifiers import digits_only, rpps_ok

RPPS_PREFIX = "8"  # idNat_PS of an RPPS number


def rpps_of(claims):
    """The RPPS number in the claims, or None."""
    value = digits_only(str(claims.get("SubjectNameID") or claims.get("preferred_username")
                            or ""))
    if len(value) == 12 and value.startswith(RPPS_PREFIX):
        value = value[1:]
    return value if rpps_ok(value) else None


def account_for(rpps):
    """The one professional account with this RPPS (active or not), or None."""
    accounts = list(User.select().where((User.role == "professional") & (User.rpps == rpps))
                    .limit(2))
    return accounts[0] if len(accounts) == 1 else None
