"""The update token the in-process service clients are built with, and the header that sends it.

A module of its own (not conftest.py) so test modules can import it: every conftest.py is imported as
the top-level module ``conftest``, so ``from conftest import ...`` would reach whichever was loaded last.
"""

TOKEN = "service-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
