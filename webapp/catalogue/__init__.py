"""The catalogue of referenced apps and the apps connected to a space."""
