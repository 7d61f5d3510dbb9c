"""Schemathesis hooks for `.ci/schemathesis`.

The OpenAPI document states every rule of one value that a schema can state. A few rules cannot
be stated there: they span fields, depend on the clock or on what the server issued, or need a
computation (a check digit, a password-strength estimate). For those, and only in the cases
Schemathesis generates as valid ("positive"), the value is made to follow the rule, so that a
refusal still means that the document and the server disagree. Cases generated as invalid are
left as they are.

Values that must name a record that exists (an account's email, a need, an offer) are set to
records of the demo data in valid cases, since no schema can say which records exist; a new email
address is set to one no account has.

One more hook keeps the run signed in: it does not revoke its own token, for the reason that
sign-out is left out of the run.
"""

import base64
import datetime
import hashlib
import os
import re
import urllib.parse

import schemathesis

OWN_TOKEN_ID = os.environ.get("PASSERELLE_ST_TOKEN_ID", "")
ACCOUNT_EMAIL = os.environ.get("PASSERELLE_ST_EMAIL", "")
NEED_ID = int(os.environ.get("PASSERELLE_ST_NEED_ID", "1"))
OFFER_ID = int(os.environ.get("PASSERELLE_ST_OFFER_ID", "1"))
# A need and an offer of other organizations that the run's organization may answer.
ANSWER_NEED_ID = int(os.environ.get("PASSERELLE_ST_ANSWER_NEED_ID", "1"))
ANSWER_OFFER_ID = int(os.environ.get("PASSERELLE_ST_ANSWER_OFFER_ID", "1"))
# How deep a search cursor may page (`MAX_OFFSET` in src/search/request.rs).
MAX_SEARCH_OFFSET = 1000


def positive(case):
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


def operation(case):
    return f"{case.method.upper()} {case.path}"


# Operations whose valid input is a secret the server emailed (a link's token): no generated value
# can be one, so only their invalid cases are run.
EMAILED_TOKEN = ("POST /auth/confirm-email", "POST /auth/password-reset/confirm", "POST /invitations/accept")

# Operations whose valid input must name records that exist and agree with each other (a program's
# partners and the components they give, an application's components of that very program, an
# eligible organization that has not applied, a program's version and a closing date after its
# opening), which
# these hooks do not build yet: only their invalid cases are run, so the server is still checked
# for errors and for refusing what the document refuses.
CROSS_RECORD = (
    "POST /programs",
    "PATCH /programs/{id}",
    "POST /programs/{id}/applications",
    "POST /programs/{id}/allocations",
    "POST /programs/{id}/invitations",
    "POST /organizations/{id}/checkups/{checkup_id}/needs",
)


@schemathesis.hook
def filter_case(context, case):
    op = operation(case)
    if op == "DELETE /tokens/{id}":
        return str(case.path_parameters.get("id")) != OWN_TOKEN_ID
    if op in EMAILED_TOKEN or op in CROSS_RECORD:
        return not positive(case)
    return True


def cursor(prefix, seed, limit):
    """A cursor made the way the server makes them, from any generated string."""
    number = int(hashlib.sha256(str(seed).encode()).hexdigest(), 16) % limit
    return base64.urlsafe_b64encode(f"{prefix}:{number}".encode()).decode().rstrip("=")


def future(value):
    """`value` if it is a date-time in the future, else one in the same year range that is."""
    try:
        parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if parsed.tzinfo and parsed > datetime.datetime.now(datetime.timezone.utc):
            return value
    except ValueError:
        pass
    return "2099-12-31T12:00:00Z"


def luhn_digit(digits):
    """The check digit that makes `digits` + it pass the Luhn check."""
    total = 0
    for i, digit in enumerate(reversed(digits)):
        d = int(digit)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return str((10 - total % 10) % 10)


def with_check_digit(number):
    """The charity number with its business number's check digit set right."""
    positions = [i for i, c in enumerate(number) if c.isdigit()]
    if len(positions) < 9:
        return number
    ninth = positions[8]
    digits = "".join(number[i] for i in positions[:8])
    return number[:ninth] + luhn_digit(digits) + number[ninth + 1 :]


def with_plain_host(website):
    """The address with a host the URL parser surely accepts, and 300 bytes at most in all.

    Which hosts are valid is the URL parser's to say (internationalized names, numbers read as
    IPv4 addresses), so valid cases keep only hosts of ASCII letters, digits and hyphens.
    """
    parts = re.fullmatch(r"(\s*(?:[Hh][Tt][Tt][Pp][Ss]?://)?)([^:/?#]*)(.*)", website, re.S)
    head, host, tail = parts.groups()
    labels = host.split(".")
    plain = all(re.fullmatch(r"[A-Za-z0-9-]+", label) for label in labels)
    numeric = re.fullmatch(r"[0-9]+|0[xX][0-9A-Fa-f]*", labels[-1])
    if not plain or numeric or len(host) > 200:
        host = "example.org"
    scheme = "" if "://" in head else "https://"
    room = 300 - len((scheme + head.strip() + host).encode())
    tail = tail.rstrip()
    while tail and len(tail.encode()) > room:
        tail = tail[:-1]
    return head + host + tail


def organization_rules(organization):
    """Rules of an organization's profile a schema cannot state."""
    if not isinstance(organization, dict):
        return
    website = organization.get("website")
    if isinstance(website, str) and website.strip():
        organization["website"] = with_plain_host(website)
    number = organization.get("charity_number")
    if isinstance(number, str) and number.strip():
        organization["charity_number"] = with_check_digit(number)


def posting_rules(body, kind, creating):
    """Rules of a need or an offer a schema cannot state. They hold for the posting as it will
    be stored, so an edit that touches one of the fields sets the others it depends on."""
    if body.get("expires_at") is not None:
        body["expires_at"] = future(body["expires_at"])
    # An open posting has not expired and has some quantity left.
    if not creating and body.get("status") == "open":
        body.setdefault("expires_at", None)
        body.setdefault("quantity", 1)
    # It ends after it starts.
    if not creating and ("starts_on" in body) != ("ends_on" in body):
        body.setdefault("starts_on", None)
        body.setdefault("ends_on", None)
    starts, ends = body.get("starts_on"), body.get("ends_on")
    if isinstance(starts, str) and isinstance(ends, str) and ends < starts:
        body["starts_on"], body["ends_on"] = ends, starts
    # A need is somewhere, unless it can be met remotely.
    if kind == "needs" and (creating or "province" in body or "remote" in body):
        if body.get("province") is None:
            body["remote"] = True


def outcome_rules(outcome):
    """An indicator of the list takes its name and unit from the list and numbers (0 to 100 fit
    every unit, a percentage too); the organization's own indicator has a name."""
    if not isinstance(outcome, dict) or not isinstance(outcome.get("indicators"), list):
        return
    for i, indicator in enumerate(outcome["indicators"]):
        if not isinstance(indicator, dict):
            continue
        if indicator.get("code") is not None:
            indicator.pop("name", None)
            indicator.pop("unit", None)
            for key in ("before", "target", "after"):
                value = indicator.get(key)
                if key == "target" and value is None:
                    continue
                number = isinstance(value, (int, float)) and not isinstance(value, bool)
                indicator[key] = min(max(value, 0), 100) if number else 1
        elif indicator.get("name") is None:
            indicator["name"] = f"Measure {i + 1}"


def indicator_key(i, indicator):
    """What an indicator is told apart by: its code, or its name (case ignored)."""
    if indicator.get("code") is not None:
        return "code:" + str(indicator["code"])
    return str(indicator.get("name") or f"Measure {i + 1}").strip().lower()


@schemathesis.hook
def map_case(context, case):
    if "cursor" in (case.query or {}) and positive(case):
        if case.path == "/search":
            case.query["cursor"] = cursor("offset", case.query["cursor"], MAX_SEARCH_OFFSET + 1)
        else:
            case.query["cursor"] = cursor("id", case.query["cursor"], 2**62)
    if case.path == "/search" and positive(case) and case.query:
        # A value range runs from its lower bound up.
        low, high = case.query.get("min_value"), case.query.get("max_value")
        try:
            if low is not None and high is not None and int(str(low)) > int(str(high)):
                case.query["min_value"], case.query["max_value"] = high, low
        except ValueError:
            pass
    body = case.body
    if not positive(case) or not isinstance(body, dict):
        return case
    op = operation(case)
    if op in ("POST /needs", "POST /offers", "PATCH /needs/{id}", "PATCH /offers/{id}"):
        posting_rules(body, case.path.split("/")[1], op.startswith("POST"))
    elif op == "POST /auth/register":
        # Strong enough whatever was generated before it, within the 128 characters allowed.
        if isinstance(body.get("password"), str):
            body["password"] = body["password"][:112] + "Vq7#kz!Rw2-Lp9$m"
        organization_rules(body.get("organization"))
    elif op == "PATCH /organizations/{id}":
        organization_rules(body)
    elif op == "POST /organizations/{id}/members":
        body["email"] = ACCOUNT_EMAIL
    elif op == "PATCH /me" and isinstance(body.get("email"), str):
        # A new address must not be another account's (a generated value can be one the run has
        # read, such as a demo address): one made from it that no account has.
        digest = hashlib.sha256(body["email"].encode()).hexdigest()[:16]
        body["email"] = f"st-{digest}@run.passerelle.example"
    elif op == "POST /partnerships":
        body["need_id"], body["offer_id"] = NEED_ID, OFFER_ID
    elif op == "POST /partnerships/{id}/complete":
        outcome_rules(body.get("outcome"))
    elif op == "POST /needs/{id}/interest":
        case.path_parameters["id"] = ANSWER_NEED_ID
        body["organization_id"] = None
    elif op == "POST /offers/{id}/interest":
        case.path_parameters["id"] = ANSWER_OFFER_ID
        body["organization_id"] = None
    elif op == "POST /reports":
        # A report names something that exists.
        body["target"], body["id"] = "posting", ANSWER_OFFER_ID
    elif op == "POST /saved-searches":
        # Any text is a search's words: the saved query string searches for it.
        body["query"] = "q=" + urllib.parse.quote(str(body.get("query", ""))[:100])
    elif op == "POST /notifications/read":
        # Either some ids or all of them, not both, not neither.
        ids = body.get("ids")
        case.body = {"ids": ids[:500]} if isinstance(ids, list) and ids else {"all": True}
    return case


@schemathesis.hook("filter_case")
def distinct_and_present(context, case):
    """Drops the valid-looking cases that break a rule across fields, rather than rewrite them."""
    body = case.body
    if not positive(case) or not isinstance(body, dict):
        return True
    op = operation(case)
    if op == "POST /suggest-tags":
        # A title, a description, or both.
        return bool(str(body.get("title", "")).strip() or str(body.get("description", "")).strip())
    if op == "POST /partnerships/{id}/complete":
        # Indicators are distinct: each code of the list once, own names once (case ignored).
        outcome = body.get("outcome")
        indicators = outcome.get("indicators", []) if isinstance(outcome, dict) else []
        keys = [indicator_key(i, x) for i, x in enumerate(indicators) if isinstance(x, dict)]
        return len(keys) == len(set(keys))
    return True
