"""Privacy controls: blocking professionals, emergency access and its switches, the access
history and its reports."""
