"""Letters by post: import a file of insured people and print the waiting letters (one
PDF per batch, one page per person), and hand their space over to those who turned 18.

    flask --app webapp import-insured assures.csv --letters lot-2026-03-14.pdf
    flask --app webapp print-letters lot-2026-03-15.pdf     # lost codes, 18th birthdays
    0 4 * * *  flask --app webapp hand-over-adults          # once a day
"""

import datetime as dt
import os
import time

import click
from flask.cli import with_appcontext

from webapp.accounts import insured, letter_pdf, letters
from webapp.db import database


def print_waiting(path):
    """Print every waiting letter that has an address into one PDF at `path` (written
    before the codes are committed). Returns (letters printed, letters left without an
    address)."""
    waiting = letters.printable()
    if waiting:
        letters.issue(waiting, deliver=lambda issued: _write(path, letter_pdf.render(issued)),
                      file_name=os.path.basename(path))
    return len(waiting), letters.waiting_without_address()


def _write(path, content):
    temporary = f"{path}.part"
    with open(temporary, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def _report(printed, without, path, started):
    if printed:
        click.echo(f"{printed} letter(s) printed into {path} "
                   f"({os.path.getsize(path)} bytes, {time.monotonic() - started:.1f} s).")
    else:
        click.echo("No letter waiting: no file written.")
    if without:
        click.echo(f"{without} letter(s) wait for a postal address.")


@click.command("import-insured")
@click.argument("source", type=click.File("r", encoding="utf-8-sig"))
@click.option("--letters", "path", required=True, type=click.Path(dir_okay=False),
              help="The PDF file to write the batch of letters into.")
@with_appcontext
def import_insured_command(source, path):
    """Create the spaces of a file of insured people and print the waiting letters;
    exits 1 when lines were refused (the others are imported)."""
    started = time.monotonic()
    with database.connection_context():
        outcome = insured.import_rows(insured.read(source))
        printed, without = print_waiting(path)
    click.echo(f"{outcome.created} space(s) created ({outcome.minors} minor(s): their letter "
               f"comes at 18), {outcome.known} already known, {len(outcome.refused)} line(s) "
               "refused.")
    _report(printed, without, path, started)
    for number, reason in outcome.refused:
        click.echo(f"line {number}: {reason}", err=True)
    if outcome.refused:
        raise SystemExit(1)


@click.command("print-letters")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def print_letters_command(path):
    """Print the waiting letters (new codes asked for, 18th birthdays) into one PDF."""
    started = time.monotonic()
    with database.connection_context():
        printed, without = print_waiting(path)
    _report(printed, without, path, started)


@click.command("hand-over-adults")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to count from (default: today).")
@with_appcontext
def hand_over_adults_command(today):
    """Queue the activation letters of those who turned 18 (safe to run again)."""
    day = today.date() if today else dt.date.today()
    with database.connection_context():
        queued = letters.hand_over_adults(day)
    click.echo(f"{queued} letter(s) queued for young adults.")
