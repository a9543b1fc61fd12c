"""`python -m vntopics ...` is the `vntopics` command."""
import sys

from vntopics.flows.cli import main

sys.exit(main())
