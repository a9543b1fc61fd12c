"""The `vntopics` program: the command line (main, output), the terminal while a flow runs
(console), the process's start and exit (startup) and the early temporary Prefect server
(temporary_server). The flows it runs live in `vntopics.flows`."""
