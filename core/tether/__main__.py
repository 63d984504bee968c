"""``python -m tether`` runs the command line."""

from .cli import main

main()
