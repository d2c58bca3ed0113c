"""Pages of the shell: sign-in, each role's home, statement, site map, public pages."""

PUBLIC = ["/connexion", "/accessibilite", "/plan-du-site", "/mentions-legales",
          "/donnees-personnelles", "/aide"]

PAGES = [(None, url) for url in PUBLIC] + [
    ("camille.martin@example.org", "/"),
    ("camille.martin@example.org", "/plan-du-site"),
    ("camille.martin@example.org", "/parametres"),
    ("jean.dupont@example.org", "/"),
    ("amina.diallo@example.org", "/"),
    ("dr.bernard@example.org", "/"),
    ("admin@example.org", "/"),
    (None, "/page-qui-n-existe-pas"),
]
