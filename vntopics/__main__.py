"""`python -m vntopics ...` is the `vntopics` command."""
from vntopics.cli.startup import program

program()
