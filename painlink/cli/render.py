"""How the command line prints the engine's answers as text: red flags first, then the ranked
answer, each claim with its evidence (``--json`` prints the answers' ``to_dict()`` instead)."""

from __future__ import annotations

from .context import Context

__all__ = [
    "DISCLAIMER", "claim_line", "evidence_lines", "render_explain", "render_interventions", "render_paths",
    "render_red_flags", "render_search",
]


def evidence_lines(ctx: Context, evidence, indent: str) -> None:
    from painlink.graph.narrate import STANCE_MARKERS, source_name

    for item in evidence:
        marker = STANCE_MARKERS[item.stance]
        said = f'"{item.quote.exact}"' if item.quote is not None else f"(our summary) {item.summary or ''}"
        where = f" <{item.source.url}>" if item.source.url else ""
        kind = f"[{item.kind or 'unknown kind'}] "
        ctx.wrap(f"{marker} {kind}{source_name(item.source)}{where}: {said}", indent, indent + "    ")


def claim_line(claim) -> str:
    from painlink.graph.narrate import claim_sentence

    flag = "  DISPUTED" if claim.disputed else ""
    weak = "  (rests only on commercial or practice pages)" if claim.summary.weak_sources_only else ""
    return f"{claim_sentence(claim)}  [{claim.id}]{flag}{weak}"


DISCLAIMER = "painlink explains how things may be linked; it does not diagnose."


def render_red_flags(alerts, ctx: Context) -> None:
    """Red flags open every answer: warnings (most urgent first), then reminders of what to ask."""
    from painlink.graph.narrate import source_name

    for alert in alerts:
        flag = alert.flag
        sources = {e.source.iri: e for e in flag.evidence}
        if alert.level == "warning":
            ctx.wrap(f"!! RED FLAG ({flag.urgency.upper()}): {flag.label}", "", "   ")
            ctx.wrap(f"why: {alert.reason}", "   ", "     ")
            ctx.wrap(f"what to do: {flag.action}", "   ", "     ")
            if flag.signs:
                ctx.wrap("warning signs: " + ", ".join(s.label for s in flag.signs), "   ", "     ")
            for question in flag.questions:
                ctx.wrap(f"ask directly: {question}", "   ", "     ")
            for item in sources.values():
                where = f" <{item.source.url}>" if item.source.url else ""
                ctx.wrap(f"source: [{item.kind or 'unknown kind'}] {source_name(item.source)}{where}", "   ", "     ")
        else:
            # A reminder is shorter: the questions to ask, what to do if the answer is yes, who says so.
            ctx.wrap(f"?? Ask about red flags: {flag.label} ({flag.urgency} if present); {alert.reason}", "", "   ")
            for question in flag.questions:
                ctx.wrap(f"ask: {question}", "   ", "     ")
            ctx.wrap(f"if yes: {flag.action}", "   ", "     ")
            ctx.wrap("source: " + "; ".join(f"[{e.kind or 'unknown kind'}] {source_name(e.source)}"
                                            for e in sources.values()), "   ", "     ")
    if alerts:
        ctx.line()


def _render_path(path, ctx: Context, number: int, indent: str = "") -> None:
    from painlink.graph.narrate import chain_sentence

    chain = " -> ".join(node.label for node in path.nodes)
    ctx.wrap(f"{number}. {chain}   (score {path.score:.3f})", indent, indent + "   ")
    inner = indent + "   "
    for end, via in ((path.nodes[0], path.via_source), (path.nodes[-1], path.via_target)):
        if via is not None:
            ctx.wrap(f"({end.label} is a kind of {via.label})", inner)
    ctx.wrap(chain_sentence([step.claim for step in path.steps]) + ".", inner)
    for n, step in enumerate(path.steps, start=1):
        ctx.wrap(f"step {n}: {claim_line(step.claim)}", inner, inner + "   ")
        evidence_lines(ctx, step.claim.evidence, inner + "   ")
    b = path.breakdown
    ctx.wrap(
        f"score {path.score:.3f} = mean step weight {b.edge_mean:.3f} x length {b.length_factor:.3f}"
        f" x hubs {b.hub_factor:.3f}  (step weights {', '.join(f'{w:.2f}' for w in b.edge_weights)})",
        inner, inner + "   ",
    )
    if path.rationale:
        ctx.wrap(f"why this rank: {path.rationale}", inner, inner + "   ")


def render_paths(result, ctx: Context) -> None:
    render_red_flags(result.red_flags, ctx)
    ctx.line(f"Causal chains from {result.source.label} to {result.target.label}, best first")
    chains = "1 chain" if result.limit == 1 else f"{result.limit} chains"
    ctx.line(f"(at most {result.max_length} steps, {chains})")
    ctx.line()
    if not result.paths:
        ctx.line(f"No causal chain of at most {result.max_length} steps leads from "
                 f"{result.source.label} to {result.target.label}.")
    for number, path in enumerate(result.paths, start=1):
        _render_path(path, ctx, number)
        ctx.line()
    if result.truncated:
        reasons = {"max_length": f"longer chains exist (raise --max-length above {result.max_length})",
                   "limit": f"more chains exist (raise --limit above {result.limit})",
                   "max_expansions": "the search reached its work limit"}
        ctx.wrap("Cut off: " + "; ".join(reasons.get(r, r) for r in result.truncated_reasons) + ".")


def _render_explained(part, ctx: Context) -> None:
    via = ""
    if part.via is not None:
        via = {"narrower": f" (through {part.via.label}, a kind of {part.symptom.label})",
               "exact": f" (a kind of {part.via.label}, its sign)",
               }.get(part.match, f" (only through {part.via.label}, a broader term)")
    ctx.wrap(f"- {part.symptom.label}{via}, strength {part.strength:.3f}:", "   ", "     ")
    if part.paths:
        for step in part.paths[0].steps:
            ctx.wrap(claim_line(step.claim), "     ", "       ")
            evidence_lines(ctx, step.claim.evidence, "       ")
    if part.sign is not None:
        ctx.wrap(claim_line(part.sign), "     ", "       ")
        evidence_lines(ctx, part.sign.evidence, "       ")


def render_explain(result, ctx: Context) -> None:
    render_red_flags(result.red_flags, ctx)
    ctx.wrap("What could explain: " + ", ".join(s.label for s in result.symptoms))
    ctx.wrap(DISCLAIMER)
    ctx.line()
    if not result.explanations:
        ctx.line("Nothing in the graph explains these symptoms specifically.")
    total = len(result.symptoms)
    for number, item in enumerate(result.explanations, start=1):
        ctx.wrap(f"{number}. {item.cause.label}   explains {len(item.explained)} of {total}, "
                 f"score {item.score:.3f}", "", "   ")
        for part in item.explained:
            _render_explained(part, ctx)
        if item.unexplained:
            ctx.wrap("leaves unexplained: " + ", ".join(s.label for s in item.unexplained), "   ", "     ")
        ctx.line()
    if result.unspecific:
        ctx.wrap("Unspecific: these reach the symptoms only through broader terms, which does not explain "
                 "them (a cause of the broad term is not a cause of the specific one):")
        for item in result.unspecific:
            terms = ", ".join(sorted({p.via.label for p in item.unspecific if p.via is not None}))
            ctx.wrap(f"- {item.cause.label} (only through {terms})", "   ", "     ")
        ctx.line()
    if result.truncated:
        ctx.line("(more candidates exist: raise --limit)")
        ctx.line()
    for differential in result.differentials:
        ctx.wrap(f"Telling apart the origins of {differential.symptom.label}:")
        for option in differential.options:
            where = f" ({', '.join(loc.label for loc in option.locations)})" if option.locations else ""
            ctx.wrap(f"- {option.cause.label}{where}", "   ", "     ")
            for sign in option.signs:
                seen = " (observed)" if sign.observed else ""
                rather = (f", rather than {', '.join(r.label for r in sign.rather_than)}" if sign.rather_than else "")
                ctx.wrap(f"sign: {sign.sign.label}{seen}{rather} -- {claim_line(sign.claim)}", "     ", "       ")
                evidence_lines(ctx, sign.claim.evidence, "       ")
            if not option.signs:
                ctx.wrap("no distinguishing sign in the graph", "     ")
        for sign in differential.not_distinguishing:
            between = " from ".join(r.label for r in sign.rather_than) or "them"
            ctx.wrap(f"- does NOT tell {between} apart: {sign.sign.label}", "   ", "     ")
            evidence_lines(ctx, sign.claim.evidence, "     ")
        ctx.line()


def render_interventions(result, ctx: Context) -> None:
    render_red_flags(result.red_flags, ctx)
    ctx.wrap(f"What acts on {result.target.label} and the causal chains into it")
    ctx.line()
    ctx.line("Causal chains into it:")
    for number, path in enumerate(result.paths, start=1):
        ctx.wrap(f"[{number}] " + " -> ".join(n.label for n in path.nodes) + f"   ({path.score:.3f})", "  ", "      ")
    if not result.paths:
        ctx.line("  none")
    ctx.line()
    if not result.interventions:
        ctx.line("No intervention in the graph acts on these chains.")
    for number, item in enumerate(result.interventions, start=1):
        disputed = ", DISPUTED" if item.disputed else ""
        ctx.wrap(f"{number}. {item.intervention.label}   ({item.effect}{disputed}, score {item.score:.3f})", "", "   ")
        if item.acts_on_target:
            cuts = "acts on the target itself"
        elif item.paths_cut:
            cuts = "cuts chain" + ("s " if len(item.paths_cut) > 1 else " ") + ", ".join(
                f"[{i + 1}]" for i in item.paths_cut)
            cuts += " -- all of them" if item.cuts_all else ""
        else:
            cuts = "cuts none of the chains"
        weighed = item.weighed or "none about the target itself"
        ctx.wrap(f"{cuts}; evidence about {result.target.label}: {weighed}", "   ", "     ")
        for action in item.acts_on:
            note = {
                "target": " (the target itself)",
                "narrower": f" ({action.node.label} is a kind of {result.target.label})",
                "broader": f" ({action.node.label} covers {result.target.label})",
                "upstream": f" (a cause on a chain into {result.target.label}; not counted for it)",
            }[action.relation]
            ctx.wrap(f"- {claim_line(action.claim)}{note}", "   ", "     ")
            evidence_lines(ctx, action.claim.evidence, "     ")
        ctx.line()


def render_search(hits, ctx: Context) -> None:
    if not hits:
        ctx.line("No entity matches.")
        return
    id_width = max(len(h.entity.id) for h in hits)
    label_width = max(len(h.entity.label) for h in hits)
    for hit in hits:
        matched = f"  (matched {hit.matched!r})" if hit.matched != hit.entity.label else ""
        ctx.line(f"{hit.entity.id.ljust(id_width)}  {hit.entity.label.ljust(label_width)}  "
                 f"{(hit.entity.kind or '').ljust(12)}{matched}".rstrip())
