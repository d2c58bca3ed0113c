"""CLI commands of feature areas: each module lists its click commands in COMMANDS.

Decorate each with @click.command("name") and @flask.cli.with_appcontext.

Commands run inside the app context (Flask's CLI provides it), with the database
proxy already bound; open a connection with `with database.connection_context():`.
"""
