"""painlink's face for AI assistants: a Model Context Protocol server, built with the official ``mcp``
SDK (no protocol code of painlink's own), read-only.

* :mod:`.server` -- the SDK server with painlink's handlers, over one service app;
* :mod:`.tools` -- one tool per question the JSON API answers, generated from the question
  declarations, and :mod:`.query` -- the ``sparql`` tool, through the service's own ``/sparql``;
* :mod:`.resources` -- entities and claims as resources: ``painlink://entity/{id}``,
  ``painlink://claim/{id}``;
* :mod:`.text` -- the text beside each structured answer: red flags, ranked answer, evidence;
* :mod:`.transport` -- streamable HTTP at ``/mcp`` on ``painlink serve --mcp-http`` (Origin and Host
  checked); :mod:`.stdio` -- ``painlink mcp``, over standard input and output.
"""
