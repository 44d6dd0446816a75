"""The benchmark's report: the targets it checks and the Markdown that bench/README.md records."""

from __future__ import annotations

import json

from queries import LARGE_ROWS

__all__ = ["FRONTS", "SERVERS", "render", "targets"]


#: Front processes of the fronted painlink server (``painlink serve --fronts``): one a core.
FRONTS = 2
SERVERS = ("painlink persistent", f"painlink {FRONTS} fronts", "painlink remote", "rdflib-endpoint", "oxigraph serve")


def _get(row: dict, *keys, default=None):
    for key in keys:
        if not isinstance(row, dict) or key not in row:
            return default
        row = row[key]
    return row


def targets(report: dict) -> list[tuple[str, str, str]]:
    """Issue 5's targets: (target, what was measured, met?)."""
    out = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("met" if ok else "MISSED")

    for label, row in report["sizes"].items():
        for ours_name in ("painlink persistent", f"painlink {FRONTS} fronts"):
            ours = _get(row, ours_name, "sparql throughput", "req/s")
            for peer, factor in (("rdflib-endpoint", 5.0), ("oxigraph serve", 0.5)):
                theirs = _get(row, peer, "sparql throughput", "req/s")
                what = f"{label}: /sparql simple SELECT req/s >= {factor:g}x {peer} ({ours_name})"
                if ours and theirs:
                    ratio = ours / theirs
                    out.append((what, f"{ours:,.0f} vs {theirs:,.0f} = {ratio:.2f}x", verdict(ratio >= factor)))
                else:
                    out.append((what, "not run", "n/a"))
    row = report["sizes"].get("100k")
    visible = _get(row or {}, "write to visible", "write to visible")
    out.append(("100k: a write visible to /api/paths < 1 s (painlink persistent, median of the writes)",
                "not run" if visible is None else
                f"median {visible['median s']:.2f} s, max {visible['max s']:.2f} s (n {visible['n']})",
                verdict(None if visible is None else visible["median s"] < 1)))
    for store in ("painlink persistent", "painlink remote"):
        p50 = _get(row or {}, store, "paths ms", "p50")
        out.append((f"100k: /api/paths p50 < 50 ms ({store})",
                    "not run" if p50 is None else f"{p50:.1f} ms", verdict(None if p50 is None else p50 < 50)))
    for name, fig in report.get("startup shipped graph", {}).items():
        out.append((f"start-up < 2 s on the shipped graph ({name})",
                    f"median {fig['startup s']:.2f} s, worst {fig['worst s']:.2f} s of {fig['rounds']}",
                    verdict(fig["startup s"] < 2)))
    load = _get(row or {}, "load painlink persistent")
    if load:
        out.append((f"{row['triples']:,} triples loaded (painlink load) in < 60 s within 2 GiB RSS",
                    f"{load['s']:.1f} s, {load['peak MiB']:,} MiB", verdict(load["s"] < 60 and load["peak MiB"] < 2048)))
    else:
        out.append(("1.7M triples loaded in < 60 s within 2 GiB RSS", "not run", "n/a"))
    return out


def render(report: dict) -> str:
    """The report as Markdown (what bench/README.md records)."""
    lines: list[str] = []
    m = report["machine"]
    lines.append(f"Machine: {m['nproc']} cores, {m['memory GiB']} GiB RAM, {m['cpu']}; Python {m['python']}")
    lines.append("Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    for when, fig in report.get("load averages", {}).items():
        lines.append(f"Load averages at the {when} ({fig['at']}): {fig['1 min']:.2f} / {fig['5 min']:.2f} / "
                     f"{fig['15 min']:.2f} (1 / 5 / 15 min)")
    if "wall minutes" in report:
        lines.append(f"Wall time: {report['wall minutes']:.1f} min; arguments: {json.dumps(report['args'])}")
    lines += ["", "### Targets in this run", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {t} | {measured} | {ok} |" for t, measured, ok in targets(report)]
    lines += ["", "### Start-up on the shipped graph (to the first answered /sparql request)", "",
              "| store | median s | worst s | peak RSS MiB (all processes) |", "|---|---:|---:|---:|"]
    for name, fig in report.get("startup shipped graph", {}).items():
        lines.append(f"| painlink {name} | {fig['startup s']:.2f} | {fig['worst s']:.2f} | {fig['peak MiB']} |")
    floor = report.get("asgi floor")
    if floor:
        lines += ["", (f"asgi-floor (a bare uvicorn app answering a fixed result, same client): "
                       f"{floor['req/s']:,.0f} req/s, p50 {floor['p50 ms']:.1f} ms, p99 {floor['p99 ms']:.1f} ms, "
                       f"{floor['errors']} errors")]
    for label, row in report["sizes"].items():
        lines += _render_size(label, row, report["args"]["repeats"])
    return "\n".join(lines)


def _cells(row: dict, names: list[str], get) -> str:
    """One table row's cells: ``get(row[name])`` for each column, n/a where a figure is missing."""
    out = []
    for name in names:
        try:
            out.append(get(row[name]))
        except (KeyError, TypeError, ZeroDivisionError):
            out.append("n/a")
    return " | ".join(out)


def _render_size(label: str, row: dict, repeats: int) -> list[str]:
    """One size: the loads, the servers side by side, the ratios to the peers, the evaluation overhead."""
    lines = ["", f"### {label}: {row['entities']:,} entities, {row['triples']:,} triples", "",
             "| load | s | triples/s | peak RSS MiB |", "|---|---:|---:|---:|"]
    for key, fig in row.items():
        if key.startswith("load "):
            lines.append(f"| {key[5:]} | {fig['s']:.1f} | {fig['triples/s']:,.0f} | {fig['peak MiB']:,} |")
    servers = [name for name in SERVERS if "startup s" in row.get(name, {})]
    if not servers:
        return lines
    shapes_run = list(row[servers[0]]["latency ms"])

    def latency(r: dict, shape: str) -> str:
        n = r["latency n"][shape]
        return f"{r['latency ms'][shape]:.1f}" + ("" if n >= repeats else f" (n={n})")

    table = [
        ("start-up s (to first /sparql answer)", lambda r: f"{r['startup s']:.2f}"),
        ("peak RSS MiB, serving (all processes)", lambda r: f"{r['peak MiB']:,}"),
        *[(f"{shape}, median ms", lambda r, s=shape: latency(r, s)) for shape in shapes_run],
        ("/sparql simple SELECT, req/s", lambda r: f"{r['sparql throughput']['req/s']:,.0f}"),
        (f"large answer ({LARGE_ROWS:,}-row SELECT, JSON), MB/s",
         lambda r: f"{r['large answer']['MB/s']:.1f} ({r['large answer']['bytes'] / 1e6:.1f} MB in "
                   f"{r['large answer']['median s'] * 1000:.0f} ms)"),
        ("/sparql p50 / p99 ms",
         lambda r: f"{r['sparql throughput']['p50 ms']:.1f} / {r['sparql throughput']['p99 ms']:.1f}"),
        ("/sparql errors", lambda r: f"{r['sparql throughput']['errors']}"),
        ("/api/paths first request s (builds the projection)", lambda r: f"{r['paths ms']['first s']:.2f}"),
        ("/api/paths sequential p50 / max ms", lambda r: f"{r['paths ms']['p50']:.1f} / {r['paths ms']['max']:.0f}"),
        ("/api/paths req/s", lambda r: f"{r['paths throughput']['req/s']:,.0f}"),
        ("/api/paths p50 / p99 ms",
         lambda r: f"{r['paths throughput']['p50 ms']:.1f} / {r['paths throughput']['p99 ms']:.1f}"),
        ("/api/paths errors", lambda r: f"{r['paths throughput']['errors']}"),
    ]
    lines += ["", "| | " + " | ".join(servers) + " |", "|---|" + "---:|" * len(servers)]
    lines += [f"| {title} | {_cells(row, servers, get)} |" for title, get in table]

    peers = [peer for peer in ("rdflib-endpoint", "oxigraph serve") if peer in servers]
    ours = [name for name in ("painlink persistent", f"painlink {FRONTS} fronts", "painlink remote") if name in servers]
    if peers and ours:
        # Ratio columns: one per (painlink store, peer); each row's figure is ours/theirs for
        # throughput and theirs/ours for times, so above 1 always means painlink did better.
        pairs = [(o, p) for o in ours for p in peers]
        measures = [("/sparql simple SELECT req/s", lambda r: r["sparql throughput"]["req/s"], True),
                    ("large answer bytes/s", lambda r: r["large answer"]["MB/s"], True),
                    *[(f"{shape} latency", lambda r, s=shape: r["latency ms"][s], False) for shape in shapes_run],
                    ("start-up", lambda r: r["startup s"], False)]
        lines += ["", ("Ratios, painlink over each peer (above 1: painlink does better; throughput ours/theirs, "
                       "latency theirs/ours):"), "",
                  "| | " + " | ".join(f"{o} / {p}" for o, p in pairs) + " |", "|---|" + "---:|" * len(pairs)]
        for title, get, higher_better in measures:
            cells = []
            for o, p in pairs:
                try:
                    a, b = get(row[o]), get(row[p])
                    cells.append(f"{(a / b if higher_better else b / a):.2f}x")
                except (KeyError, TypeError, ZeroDivisionError):
                    cells.append("n/a")
            lines.append(f"| {title} | " + " | ".join(cells) + " |")
    overhead = row.get("evaluation overhead")
    if overhead:
        lines += ["", (f"/sparql evaluation overhead (simple SELECT, median): worker process "
                       f"{overhead['process ms']:.2f} ms, in-thread {overhead['inline ms']:.2f} ms; "
                       f"the process hop costs {overhead['hop ms']:.2f} ms a query")]
    return lines
