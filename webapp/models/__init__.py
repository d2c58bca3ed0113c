"""Peewee models, one module per area; webapp.db.all_models() collects them all."""
