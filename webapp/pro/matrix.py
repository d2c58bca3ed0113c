"""The authorisation matrix: which categories of documents each profession may read, and
in which it may deposit. One table, the same for the pages and for software; documented
in docs/access-model.md and tested cell by cell (tests/test_pro_matrix.py).

Whatever the matrix says, a professional always sees the documents they deposited, and
documents the holder hid from professionals stay hidden (except in an emergency the
holder allowed). A profession the table does not know reads and writes nothing.
"""

from webapp.pro.professions import Profession

R, W, RW, NO = "R", "W", "RW", ""
COLUMNS = ("SYNTHESE", "ORD_SOIN", "RADIO_SC", "BIOLOGIE", "CPT_REND", "DEPISTAG",
           "CERT_MED", "DOC_ADM", "AUTR_DOC")

# profession -> rights per category, in the order of COLUMNS
MATRIX = {
    #                                  SYNT ORD  RADIO BIO  CR   DEPIS CERT ADM  AUTR
    Profession.MEDECIN:                (RW, RW, RW, RW, RW, RW, RW, R, RW),
    Profession.SAGE_FEMME:             (RW, RW, R, R, RW, RW, RW, NO, R),
    Profession.CHIRURGIEN_DENTISTE:    (R, RW, RW, R, RW, NO, W, NO, NO),
    Profession.PHARMACIEN:             (R, RW, NO, R, NO, RW, NO, NO, NO),
    Profession.INFIRMIER:              (R, R, NO, R, RW, RW, NO, NO, NO),
    Profession.MASSEUR_KINESITHERAPEUTE: (R, R, R, NO, RW, NO, NO, NO, NO),
    Profession.BIOLOGISTE:             (R, R, NO, RW, NO, NO, NO, NO, NO),
}


def _rights(profession):
    try:
        return dict(zip(COLUMNS, MATRIX[Profession(profession)], strict=True))
    except ValueError:
        return {}


def readable(profession):
    """The categories this profession may read (a frozenset of codes)."""
    return frozenset(c for c, right in _rights(profession).items() if R in right)


def writable(profession):
    """The categories in which this profession may deposit a document."""
    return frozenset(c for c, right in _rights(profession).items() if W in right)


def may_read(profession, category):
    """True when the profession may read this category."""
    return category in readable(profession)


def may_write(profession, category):
    """True when the profession may deposit in this category."""
    return category in writable(profession)
