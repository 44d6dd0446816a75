/* painlink: the SPARQL editor (YASGUI, bundled) against this server's own /sparql, offline.
 *
 * YASGUI would reach other hosts in three ways; each is turned off here (see static/README.md):
 * prefix.cc lookups (prefixCcApi stays null: the bundled prefix list), LOV class/property
 * autocompletion (only the "prefixes" and "variables" completers), and its endpoint catalogue
 * (DBpedia, Wikidata), replaced by this endpoint alone. Nothing is persisted between visits, so an
 * old tab cannot point the editor elsewhere.
 */
(function () {
    "use strict";

    var host = document.getElementById("yasgui");
    if (!host || typeof Yasgui === "undefined") {
        return;
    }
    var endpoint = new URL(host.getAttribute("data-endpoint"), window.location.href).href;
    var initial = JSON.parse(document.getElementById("sparql-initial").textContent || "null");
    var firstExample = document.querySelector("#sparql-examples code");

    /* ---------- the results as a person reads them ----------
     * YASR's own table printed a number as "1"^^<http://www.w3.org/2001/XMLSchema#integer>, grew
     * to 1,713 px and cut labels short, and its page-size and filter inputs had no labels. This
     * plugin draws a plain table instead: numbers as numbers (right-aligned), text as text, each IRI
     * as a CURIE (the query's own PREFIXes) linking to painlink's page for it where there is one.
     * Every value goes in through textContent, so a label carrying markup stays text. */
    var NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|nonPositiveInteger|negativeInteger|unsignedInt|unsignedLong|unsignedShort|unsignedByte)$/;
    // painlink's prefix table (painlink.ontology.NAMESPACES, written into the page): CURIEs where the
    // query declares no prefix of its own, and the entities and claims that have a page.
    var NAMESPACES = JSON.parse((document.getElementById("sparql-namespaces") || {}).textContent || "{}");
    var PAGES = [
        { base: NAMESPACES.pli, page: function (local) { return "/entity/" + encodeURIComponent(local); } },
        { base: NAMESPACES.plc, page: function (local) {
            // a claim's id is SUBJECT--PREDICATE--OBJECT (docs/design.md); its subject's page lists it
            var subject = local.split("--")[0];
            return "/entity/" + encodeURIComponent(subject) + "#claim-" + encodeURIComponent(local);
        } }
    ].filter(function (known) { return Boolean(known.base); });
    var MAX_ROWS = 2000;

    function curie(iri, prefixes) {
        var best = null;
        Object.keys(prefixes || {}).forEach(function (prefix) {
            var base = prefixes[prefix];
            if (base && iri.indexOf(base) === 0 && (!best || base.length > prefixes[best].length)) {
                best = prefix;
            }
        });
        return best === null ? iri : best + ":" + iri.slice(prefixes[best].length);
    }

    function pageFor(iri) {
        for (var i = 0; i < PAGES.length; i += 1) {
            if (iri.indexOf(PAGES[i].base) === 0 && iri.length > PAGES[i].base.length) {
                return PAGES[i].page(iri.slice(PAGES[i].base.length));
            }
        }
        return /^https?:\/\//.test(iri) ? iri : null;
    }

    function cell(term, prefixes) {
        var td = document.createElement("td");
        if (!term) {
            return td;
        }
        if (term.type === "uri") {
            var href = pageFor(term.value);
            var text = curie(term.value, prefixes);
            var node = document.createElement(href ? "a" : "span");
            node.textContent = text;
            node.className = "iri";
            if (href) {
                node.href = href;
                if (text !== term.value) {
                    node.title = term.value;
                }
            }
            td.appendChild(node);
        } else if (term.type === "bnode") {
            td.textContent = "_:" + term.value;
        } else if (term.datatype && NUMERIC.test(term.datatype) && isFinite(Number(term.value))) {
            td.textContent = String(Number(term.value));
            td.className = "number";
        } else {
            td.textContent = term.value;
            if (term["xml:lang"]) {
                td.lang = term["xml:lang"];
            }
        }
        return td;
    }

    function PlainTable(yasr) {
        this.yasr = yasr;
        this.label = "Table";
        this.priority = 20;
    }
    PlainTable.prototype.canHandleResults = function () {
        var results = this.yasr.results;
        return Boolean(results && results.getVariables && results.getVariables() && results.getVariables().length);
    };
    PlainTable.prototype.getIcon = function () {
        var icon = document.createElement("span");
        icon.textContent = "\u2637";
        icon.setAttribute("aria-hidden", "true");
        return icon;
    };
    PlainTable.prototype.download = function (filename) {
        var results = this.yasr.results;
        return {
            getData: function () { return (results && results.asCsv()) || ""; },
            contentType: "text/csv",
            title: "Download the results (CSV)",
            filename: (filename || "painlink-results") + ".csv"
        };
    };
    PlainTable.prototype.draw = function () {
        var variables = this.yasr.results.getVariables();
        var bindings = this.yasr.results.getBindings() || [];
        var prefixes = Object.assign({}, NAMESPACES, this.yasr.getPrefixes());
        var wrap = document.createElement("div");
        wrap.className = "plain-results";
        var table = document.createElement("table");
        var caption = document.createElement("caption");
        caption.textContent = bindings.length + (bindings.length === 1 ? " result" : " results") +
            (bindings.length > MAX_ROWS ? " (the first " + MAX_ROWS + " shown; download them all as CSV)" : "");
        table.appendChild(caption);
        var head = table.createTHead().insertRow();
        variables.forEach(function (name) {
            var th = document.createElement("th");
            th.scope = "col";
            th.textContent = name;
            head.appendChild(th);
        });
        var body = table.createTBody();
        bindings.slice(0, MAX_ROWS).forEach(function (binding) {
            var row = body.insertRow();
            variables.forEach(function (name) {
                row.appendChild(cell(binding[name], prefixes));
            });
        });
        wrap.appendChild(table);
        this.yasr.resultsEl.appendChild(wrap);
    };
    Yasgui.Yasr.registerPlugin("plain", PlainTable);
    // YASR's DataTables table stays out: its inputs are unlabelled and it does not fit a screen.
    Yasgui.Yasr.defaults.plugins.table = { enabled: false };

    // Yasgui merges its config into the defaults array by array (index by index), so the completer
    // list must be set on the defaults themselves, or the LOV completers would survive the merge.
    Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
    Yasgui.Yasqe.defaults.prefixCcApi = null;

    var yasgui = new Yasgui(host, {
        requestConfig: { endpoint: endpoint, method: "POST" },
        endpointCatalogueOptions: {
            getData: function () { return [{ endpoint: endpoint }]; },
            keys: []
        },
        copyEndpointOnNewTab: true,
        persistenceId: null,
        populateFromUrl: false,
        autofocus: false,
        yasqe: {
            value: initial || (firstExample ? firstExample.textContent : ""),
            persistenceId: null,
            showQueryButton: true,
            editorHeight: "260px",
            lineWrapping: true   // a long line wraps instead of scrolling sideways on a phone
        },
        yasr: {
            persistenceId: null,
            pluginOrder: ["plain", "response"],
            defaultPlugin: "plain",
            prefixes: function () {
                var tab = yasgui && yasgui.getTab();
                return tab ? tab.getYasqe().getPrefixesFromQuery() : {};
            }
        }
    });

    /* ---------- names for YASGUI's own controls ----------
     * axe-core found them unnamed (critical): the endpoint box, the editor's text area; the tab
     * strip is hidden by the stylesheet (one editor, one endpoint), and the editor's scroller takes
     * the keyboard. Set again whenever YASGUI redraws a part. */
    function nameControls() {
        host.querySelectorAll(".controlbar input.autocomplete, input.autocomplete").forEach(function (input) {
            if (!input.hasAttribute("aria-label")) {
                input.setAttribute("aria-label", "SPARQL endpoint");
            }
        });
        host.querySelectorAll(".CodeMirror textarea").forEach(function (area) {
            if (!area.hasAttribute("aria-label")) {
                area.setAttribute("aria-label", "SPARQL query");
            }
        });
        // (CodeMirror gives its scroller tabindex -1: out of the keyboard's reach when the query is
        // longer than the editor.)
        host.querySelectorAll(".CodeMirror-scroll").forEach(function (scroller) {
            if (scroller.getAttribute("tabindex") !== "0") {
                scroller.setAttribute("tabindex", "0");
            }
        });
        host.querySelectorAll("button:not([aria-label]), [role='button']:not([aria-label])").forEach(function (button) {
            if (!button.textContent.trim() && button.title) {
                button.setAttribute("aria-label", button.title);
            }
        });
    }
    nameControls();
    new MutationObserver(nameControls).observe(host, { childList: true, subtree: true });

    document.querySelectorAll("button.load-example").forEach(function (button) {
        button.addEventListener("click", function () {
            var query = document.getElementById(button.getAttribute("data-example")).textContent;
            var tab = yasgui.getTab();
            tab.setQuery(query);
            tab.getYasqe().focus();
            host.scrollIntoView({ behavior: "smooth", block: "start" });
        });
    });

    window.painlinkYasgui = yasgui;
}());
