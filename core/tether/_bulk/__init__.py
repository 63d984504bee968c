"""Bulk jobs: one action over a file of records, journaled so that ``kill -9`` loses nothing.

:mod:`.journal` keeps each job's state in SQLite; :mod:`.runner` sends the records. Nothing
here is imported by ``tether --help``: the CLI loads it when a ``bulk`` command runs.
"""
