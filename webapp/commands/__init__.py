"""CLI commands of feature areas; webapp.cli lists them.

Decorate each with @click.command("name") and @flask.cli.with_appcontext. Commands run
inside the app context, with the database proxy bound; open a connection with
`with database.connection_context():`.
"""
