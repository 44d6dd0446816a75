"""The MCP server: the SDK's low-level :class:`mcp.server.lowlevel.Server` with painlink's tools
(:mod:`.tools`) and resources (:mod:`.resources`) as its handlers.

One server is built over one painlink service app (:func:`painlink.service.app.create_app`), whose
state it reads when called: the knowledge graph, the settings, the path pool and the ``/sparql``
route. The transports (:mod:`.transport` for HTTP at ``/mcp``, :mod:`.stdio` for ``painlink mcp``)
only connect it. Everything it offers is read-only.
"""

from __future__ import annotations

from typing import Any

import mcp_types as types
from fastapi import FastAPI
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError

from painlink import __version__
from painlink.service.mcp import resources
from painlink.service.mcp.tools import tools

__all__ = ["INSTRUCTIONS", "build_server"]

INSTRUCTIONS = (
    "painlink is a knowledge graph of how foot pain and back pain are linked, built from a cited article "
    "and the guidelines, reviews and patient pages it is checked against. Every claim has its evidence, "
    "each item with its stance (supports, qualifies, contradicts) and the kind of its source (guideline "
    "strongest ... commercial weakest). Use explain for symptoms someone reports, paths for how one thing "
    "leads to another, interventions for what helps or harms, claim for one claim's evidence, search and "
    "entity to find and describe things, sparql for anything else. Whenever an answer has red flags, tell "
    "the user about them first, with the action they give. Cite claims and entities by their resource "
    "URIs (painlink://claim/{id}, painlink://entity/{id}). painlink explains; it does not diagnose, and "
    "nothing it offers changes the graph."
)


def build_server(app: FastAPI) -> Server[Any]:
    """The MCP server over ``app`` (its state is read per call, so the app may start after this)."""
    offered = tools(app)

    async def list_tools(ctx: ServerRequestContext, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[tool.definition for tool in offered.values()])

    async def call_tool(ctx: ServerRequestContext, params: types.CallToolRequestParams) -> types.CallToolResult:
        tool = offered.get(params.name)
        if tool is None:
            raise MCPError(
                types.INVALID_PARAMS, f"no tool named {params.name!r}; painlink's tools are {', '.join(offered)}"
            )
        return await tool.call(app, dict(params.arguments or {}))

    async def list_resources(ctx: ServerRequestContext, params: types.PaginatedRequestParams | None) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=resources.list_resources(app))

    async def list_templates(
        ctx: ServerRequestContext, params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=resources.templates())

    async def read_resource(ctx: ServerRequestContext, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        return await resources.read(app, str(params.uri))

    return Server(
        "painlink",
        version=__version__,
        title="painlink: how foot pain and back pain are linked",
        instructions=INSTRUCTIONS,
        get_tool_input_schema=lambda name: offered[name].definition.input_schema if name in offered else None,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read_resource,
    )
