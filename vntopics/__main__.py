"""`python -m vntopics ...` is the `vntopics` command."""
from vntopics.flows.startup import program

program()
