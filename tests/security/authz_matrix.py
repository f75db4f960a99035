# ruff: noqa: E501  (the matrix is a table; one route per line reads best)
"""The intended authorisation matrix: every URL route of wijkbeeld and what each role gets.

One row per route pattern, exactly as Django's resolver spells it (``test_authz_matrix`` walks
``get_resolver()`` recursively and fails on a route missing here, and on a row whose route no
longer exists). Adding a route means adding its row, a deliberate decision per role.

Columns: the route pattern; the URL the test requests (``{name}`` placeholders are filled from
the test data, see ``test_authz_matrix.py``: ``{gm}`` the municipality, ``{wijk}`` a wijk of it,
``{year}`` its boundary year, ``{token}`` a respondent's token, ``{voice}`` a voice, ``{pk:app.model}``
the primary key of a stored row); then one outcome per role:

===========  ===========================================================================
role         who
===========  ===========================================================================
anon         not signed in, no token
token        not signed in, holds the respondent link of one invitation
viewer       role viewer, tied to the municipality of the test data
prof         role professional, same municipality
analyst      role analyst, same municipality
admin        role admin, not tied to a municipality
other        role analyst of *another* municipality (GM0518)
===========  ===========================================================================

Outcomes: ``ok`` (200), ``redir`` (302 elsewhere than the login page), ``login`` (302 to the login
page), ``401``, ``403``, ``404``, ``405``; ``A>B``: GET gives A, POST must give B (a POST-only
view that checks the method before the municipality). Draft agendas are hidden from viewers
(404). A route that takes a token is requested with the holder's token
by ``token`` and with a well-formed unknown token by every other role. Every route a role may not
use is also tried with POST, which must be refused the same way (or with 405).

New routes of the API (``api/…``) and of other apps: add a row here; run
``pytest tests/security/test_authz_matrix.py`` and it lists the missing patterns.
"""

from __future__ import annotations

__all__ = ["MATRIX", "ROLES", "Row"]

from typing import NamedTuple

ROLES = ("anon", "token", "viewer", "prof", "analyst", "admin", "other")


class Row(NamedTuple):
    pattern: str
    url: str
    outcomes: dict[str, str]


_TABLE = """
# pattern                                             url                                          anon  token viewer prof analyst admin other
<root>                                                /                                            login login ok     ok   ok      ok    ok
zoeken/                                               /zoeken/?q={gm}                              login login redir  redir redir  redir ok
begrippen/                                            /begrippen/                                  ok    ok    ok     ok   ok      ok    ok
gemeente/<str:code>/                                  /gemeente/{gm}/                              login login ok     ok   ok      ok    403
gebied/<str:code>/<int:year>/                         /gebied/{wijk}/{year}/                       login login ok     ok   ok      ok    403
gebied/<str:code>/<int:year>/rapport.pdf              /gebied/{wijk}/{year}/rapport.pdf            login login ok     ok   ok      ok    403
gebied/<str:code>/<int:year>/rapport.html             /gebied/{wijk}/{year}/rapport.html           login login ok     ok   ok      ok    403
kaart/                                                /kaart/                                      login login redir  redir redir  ok    redir
kaart/nederland/                                      /kaart/nederland/                            login login 403    403  403     ok    403
kaart/nederland/data.json                             /kaart/nederland/data.json                   login login 403    403  403     ok    403
kaart/<str:code>/                                     /kaart/{gm}/                                 login login ok     ok   ok      ok    403
kaart/<str:code>/data.json                            /kaart/{gm}/data.json                        login login ok     ok   ok      ok    403
inloggen/                                             /inloggen/                                   ok    ok    redir  redir redir  redir redir
uitloggen/                                            /uitloggen/                                  405   405   405    405  405     405   405
peiling/<str:token>/                                  /peiling/{token}/                            404   ok    404    404  404     404   404
urgentie/                                             /urgentie/                                   login login ok     ok   ok      ok    ok
peilingen/nieuw/                                      /peilingen/nieuw/                            login login 403    403  ok      ok    ok
peilingen/<int:pk>/                                   /peilingen/{pk:rounds.round}/                login login 403    403  ok      ok    403
peilingen/<int:pk>/sluiten/                           /peilingen/{pk:rounds.round}/sluiten/        login login 403    403  ok      ok    403
urgentie/<str:code>/                                  /urgentie/{wijk}/                            login login ok     ok   ok      ok    403
stemmen/                                              /stemmen/                                    login login 403    403  ok      ok    ok
stemmen/gesprek/                                      /stemmen/gesprek/                            login login 403    ok   ok      ok    ok
stemmen/beoordelen/                                   /stemmen/beoordelen/                         login login 403    403  ok      ok    ok
stemmen/gesprek/<int:pk>/                             /stemmen/gesprek/{voice}/                    login login 403    403  ok      ok    403
stemmen/nieuw/<str:code>/                             /stemmen/nieuw/{wijk}/                       login login 403    ok   ok      ok    403
stemmen/gebied/<str:code>/                            /stemmen/gebied/{wijk}/                      login login ok     ok   ok      ok    403
stemmen/<int:pk>/                                     /stemmen/{voice}/                            login login 403    403  ok      ok    403
stemmen/<int:pk>/themas/                              /stemmen/{voice}/themas/                     login login 403    403  ok      ok    403
i18n/setlang/                                         /i18n/setlang/                               redir redir redir  redir redir  redir redir
admin/                                                /admin/                                      login login 403    403  403     ok    403
admin/login/                                          /admin/login/                                login login 403    403  403     ok    403
admin/logout/                                         /admin/logout/                               login login 403    403  403     405   403
admin/password_change/                                /admin/password_change/                      login login 403    403  403     ok    403
admin/password_change/done/                           /admin/password_change/done/                 login login 403    403  403     ok    403
admin/autocomplete/                                   /admin/autocomplete/                         login login 403    403  403     403   403
admin/jsi18n/                                         /admin/jsi18n/                               login login 403    403  403     ok    403
admin/r/<path:content_type_id>/<path:object_id>/      /admin/r/{ct:areas.area}/{pk:areas.area}/    login login 403    403  403     404   403
admin/^(?P<app_label>auth|accounts|areas|figures|voices_web|api)/$  /admin/areas/                      login login 403    403  403     ok    403
admin/(?P<url>.*)$                                    /admin/bestaat-niet/                         login login 403    403  403     404   403
# table downloads (docs/exporteren.md)
gebied/<str:code>/<int:year>/profiel.<str:fmt>        /gebied/{wijk}/{year}/profiel.csv            login login ok     ok   ok      ok    403
gebied/<str:code>/<int:year>/vergelijking.<str:fmt>   /gebied/{wijk}/{year}/vergelijking.csv       login login ok     ok   ok      ok    403
urgentie/<str:code>/matrix.<str:fmt>                  /urgentie/{wijk}/matrix.csv                  login login ok     ok   ok      ok    403
kaart/<str:code>/gebieden.<str:fmt>                   /kaart/{gm}/gebieden.geojson?niveau=neighbourhood&jaar={year}  login login ok ok ok ok 403
urgentie/<str:code>/tijdlijn/                         /urgentie/{wijk}/tijdlijn/                   login login ok     ok   ok      ok    403
# wijkagenda (docs/agenda.md)
agenda/                                               /agenda/                                     login login ok     ok   ok      ok    ok
agenda/gebied/<str:code>/                             /agenda/gebied/{wijk}/                       login login ok     ok   ok      ok    403
agenda/gebied/<str:code>/nieuw/                       /agenda/gebied/{wijk}/nieuw/                 login login 403    403  ok      ok    403
agenda/gebied/<str:code>/partij/                      /agenda/gebied/{wijk}/partij/                login login 403    403  ok      ok    403
agenda/gebied/<str:code>/tijdlijn/                    /agenda/gebied/{wijk}/tijdlijn/              login login 404   ok    ok    ok    403
agenda/<int:pk>/punt/                                 /agenda/{pk:agenda_web.agenda}/punt/             login login 403    403  ok      ok    403
agenda/<int:pk>/vaststellen/                          /agenda/{pk:agenda_web.agenda}/vaststellen/  login login 403   403   ok    ok    403
agenda/punt/<int:pk>/wijzigen/                        /agenda/punt/{pk:agenda_web.agendaitem}/wijzigen/  login login 403  403  ok      ok    403
agenda/punt/<int:pk>/versies/                         /agenda/punt/{pk:agenda_web.agendaitem}/versies/ login login 404   ok    ok    ok    403
agenda/punt/<int:pk>/actie/                           /agenda/punt/{pk:agenda_web.agendaitem}/actie/     login login 403  ok   ok      ok    403
agenda/actie/<int:pk>/voortgang/                      /agenda/actie/{pk:agenda_web.action}/voortgang/    login login 403  ok   ok      ok    403
lerend-netwerk/                                       /lerend-netwerk/                             login login ok     ok   ok      ok    ok
# aanleidingen (docs/voices.md, issue 17): every reader sees them on the area page; analysts and admins add, edit, close
gebied/<str:code>/<int:year>/aanleidingen/nieuw/      /gebied/{wijk}/{year}/aanleidingen/nieuw/    login login 403    403  ok      ok    403
aanleidingen/<int:pk>/wijzigen/                       /aanleidingen/{pk:voices_web.trigger}/wijzigen/   login login 403  403  ok      ok    403
aanleidingen/<int:pk>/afsluiten/                      /aanleidingen/{pk:voices_web.trigger}/afsluiten/  login login 403  403  ok      ok    403
# background jobs (docs/deploy.md): analysts and admins, own municipality only
taken/                                                /taken/                                      login login 403    403  ok      ok    ok
taken/rapporten/                                      /taken/rapporten/                            login login 403    403  405>redir 405>redir 405>redir
taken/import/                                         /taken/import/                               login login 403    403  ok      ok    ok
taken/<int:pk>/resultaat.zip                          /taken/{pk:jobs.jobresult}/resultaat.zip     login login 403    403  ok      ok    403
# JSON API (docs/api.md): 401 without a session or token; the docs and schema are public
api/                                                  /api/                                        404   404   404    404  404     404   404
^api/(?P<rest>.*)$                                    /api/bestaat-niet                            404   404   404    404  404     404   404
api/docs                                              /api/docs                                    ok    ok    ok     ok   ok      ok    ok
api/openapi.json                                      /api/openapi.json                            ok    ok    ok     ok   ok      ok    ok
api/me                                                /api/me                                      401   401   ok     ok   ok      ok    ok
api/areas                                             /api/areas                                   401   401   ok     ok   ok      ok    ok
api/areas/<code>                                      /api/areas/{wijk}                            401   401   ok     ok   ok      ok    403
api/figures                                           /api/figures?area={wijk}                     401   401   ok     ok   ok      ok    403
api/profiles/<code>                                   /api/profiles/{wijk}                         401   401   ok     ok   ok      ok    403
api/comparisons                                       /api/comparisons?municipality={gm}&year={year}  401 401 ok    ok   ok      ok    403
api/hotspots                                          /api/hotspots?municipality={gm}&year={year}&indicator=huishoudens_laag_inkomen_pct  401 401 ok ok ok ok 403
api/indicators                                        /api/indicators                              401   401   ok     ok   ok      ok    ok
api/indicators/<key>                                  /api/indicators/inwoners                     401   401   ok     ok   ok      ok    ok
api/themes                                            /api/themes                                  401   401   ok     ok   ok      ok    ok
api/urgency/rounds                                    /api/urgency/rounds                          401   401   ok     ok   ok      ok    ok
api/urgency/<code>                                    /api/urgency/{wijk}                          401   401   ok     ok   ok      ok    403
api/areas/<code>/triggers                             /api/areas/{wijk}/triggers                   401   401   ok     ok   ok      ok    403
# write-only trigger routes: GET is 405; a POST of form data (not JSON) from a writing role is a 400
api/triggers                                          /api/triggers                                405>401 405>401 405>403 405>403 405>400 405>400 405>400
api/triggers/<trigger_id>                             /api/triggers/{pk:voices_web.trigger}        405   405   405    405  405     405   405
api/triggers/<trigger_id>/status                      /api/triggers/{pk:voices_web.trigger}/status 405>401 405>401 405>403 405>403 405>400 405>400 405>400
api/agenda/network                                    /api/agenda/network                          401   401   ok     ok   ok      ok    ok
api/agenda/<code>                                     /api/agenda/{wijk}                           401   401   404   ok    ok    ok    403
"""

#: Every model in the admin has the same six routes; the models and their admin outcome.
_ADMIN_MODELS = {
    # app/model: outcome for the admin role on (list, add, object, history, change, delete)
    "auth/group": ("403", "403", "redir", "403", "403", "403"),  # roles, not groups
    "accounts/user": ("ok", "ok", "redir", "ok", "ok", "ok"),
    "areas/area": ("ok", "ok", "redir", "ok", "ok", "ok"),
    "areas/crosswalk": ("ok", "403", "redir", "ok", "ok", "403"),  # from imports only
    "figures/theme": ("ok", "ok", "redir", "ok", "ok", "ok"),
    "figures/indicator": ("ok", "ok", "redir", "ok", "ok", "ok"),
    "figures/importbatch": ("ok", "403", "redir", "ok", "ok", "403"),
    "voices_web/textreadaudit": ("ok", "403", "redir", "ok", "ok", "403"),
    "api/apitoken": ("ok", "ok", "redir", "ok", "ok", "ok"),
}
_ADMIN_SUFFIXES = (
    ("", ""), ("add/", "add/"), ("<path:object_id>/", "{pk}/"),
    ("<path:object_id>/history/", "{pk}/history/"), ("<path:object_id>/change/", "{pk}/change/"),
    ("<path:object_id>/delete/", "{pk}/delete/"),
)
#: Routes of the admin that only exist for one model.
_ADMIN_EXTRA = """
admin/accounts/user/<id>/password/                    /admin/accounts/user/{pk:accounts.user}/password/  login login 403 403 403 ok 403
"""


def _parse(table: str) -> list[Row]:
    rows = []
    for line in table.strip().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        pattern, url, *outcomes = line.split()
        if len(outcomes) != len(ROLES):
            raise ValueError(f"matrix row {pattern!r}: {len(outcomes)} outcomes, {len(ROLES)} roles")
        rows.append(Row("" if pattern == "<root>" else pattern, url, dict(zip(ROLES, outcomes,
                                                                                strict=True))))
    return rows


def _admin_rows() -> list[Row]:
    rows = []
    for model, admin_outcomes in _ADMIN_MODELS.items():
        label = model.replace("/", ".")
        for (suffix, url_suffix), outcome in zip(_ADMIN_SUFFIXES, admin_outcomes, strict=True):
            url = f"/admin/{model}/" + url_suffix.replace("{pk}", "{pk:" + label + "}")
            denied = {"anon": "login", "token": "login", "viewer": "403", "prof": "403",
                      "analyst": "403", "other": "403"}
            rows.append(Row(f"admin/{model}/{suffix}", url, {**denied, "admin": outcome}))
    return rows


#: pattern → row.
MATRIX: dict[str, Row] = {r.pattern: r for r in [*_parse(_TABLE), *_parse(_ADMIN_EXTRA),
                                                 *_admin_rows()]}
