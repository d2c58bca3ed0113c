"""Views: one module per area, each with its blueprint `bp`; webapp.wiring lists them."""
