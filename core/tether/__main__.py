"""``python -m tether`` runs the command line."""

from ._cli import main

main()
