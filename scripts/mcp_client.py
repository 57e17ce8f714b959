#!/usr/bin/env python3
"""Drives `brig mcp` with the Python MCP SDK (PyPI `mcp`), as an agent's framework would.

Usage: mcp_client.py BRIG SOCKET < plan.json

The plan is {"calls": [{"name": TOOL, "arguments": {...}}, ...]}. A string argument "$sandbox_id" or "$step_id"
is replaced by the last such id a tool answered with, so a plan can create a sandbox and then use it.
Prints one JSON object on stdout: the server's info, the tools as listed (wire shape), and for each call
whether it was a tool error, its text, that text parsed as JSON, its structured content, and whether the two
are the same JSON ("text_is_structured"); a call the
server refused at the protocol level has "protocol_error" instead. "transport_errors" lists anything on
brig's stdout that was not a protocol message. brig's stderr passes through to this script's stderr.
"""
import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def wire(model):
    """A pydantic model as the JSON the protocol carries (camelCase keys)."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def substitute(value, memory):
    if isinstance(value, str) and value.startswith("$") and value[1:] in memory:
        return memory[value[1:]]
    if isinstance(value, list):
        return [substitute(item, memory) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, memory) for key, item in value.items()}
    return value


async def main():
    brig, socket = sys.argv[1], sys.argv[2]
    plan = json.load(sys.stdin)
    transport_errors = []

    async def on_message(message):
        if isinstance(message, Exception):
            transport_errors.append(repr(message))

    server = StdioServerParameters(command=brig, args=["mcp", "--socket", socket])
    report = {"calls": []}
    async with stdio_client(server, errlog=sys.stderr) as (read, write):
        async with ClientSession(read, write, message_handler=on_message) as session:
            initialized = wire(await session.initialize())
            report["server"] = initialized.get("serverInfo")
            report["protocol_version"] = initialized.get("protocolVersion")
            report["tools"] = [wire(tool) for tool in (await session.list_tools()).tools]
            memory = {}
            for call in plan["calls"]:
                arguments = substitute(call.get("arguments", {}), memory)
                entry = {"name": call["name"], "arguments": arguments}
                try:
                    result = wire(await session.call_tool(call["name"], arguments))
                except Exception as error:  # the protocol's refusal, not a tool error
                    entry["protocol_error"] = str(error)
                    report["calls"].append(entry)
                    continue
                text = "".join(block.get("text", "") for block in result.get("content", []) if block.get("type") == "text")
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = None
                if isinstance(parsed, dict) and not result.get("isError"):
                    for key in ("sandbox_id", "step_id"):
                        if isinstance(parsed.get(key), str):
                            memory[key] = parsed[key]
                structured = result.get("structuredContent")
                entry.update(is_error=bool(result.get("isError")), text=text, json=parsed, structured=structured,
                             text_is_structured=parsed == structured)
                report["calls"].append(entry)
    report["transport_errors"] = transport_errors
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    asyncio.run(main())
