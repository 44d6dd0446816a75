/* painlink: draw the graph whose data the page carries in <script type="application/json" id="graph-data">.
 *
 * The data is parsed, never evaluated, and every piece of graph text reaches the page through
 * textContent: hover cards are DOM elements (vis-network 9 shows a string title as plain text, an
 * element as it is), so a label such as "<img src=x onerror=...>" stays text. No innerHTML anywhere.
 * Positions come from the server (x/y) and physics stays off, so the drawing is ready at once.
 * NB: this file is also inlined into exported HTML through Jinja, so it must not contain Jinja's
 * opening delimiters (a brace followed by a brace, percent or hash).
 */
(function () {
    "use strict";

    var dataElement = document.getElementById("graph-data");
    var container = document.getElementById("graph-canvas");
    if (!dataElement || !container || typeof vis === "undefined") {
        return;
    }
    var data = JSON.parse(dataElement.textContent);
    // Page flags: links to painlink's own pages (off in a standalone export), number of ranked paths.
    data.links = container.getAttribute("data-links") === "true";
    data.paths = Number(container.getAttribute("data-paths") || "0");

    var KIND_NAMES = {
        symptom: "Symptom or sign",
        anatomy: "Anatomy",
        cause: "Cause or condition",
        intervention: "Intervention"
    };
    var STANCE_NAMES = { supports: "Supports", qualifies: "Qualifies", contradicts: "Contradicts" };
    var FADED = "rgba(180, 188, 197, 0.35)";
    var HIGHLIGHT = "#1f5fa8";

    /* ---------- small DOM helpers: text only ---------- */
    function element(tag, className, text) {
        var made = document.createElement(tag);
        if (className) {
            made.className = className;
        }
        if (text !== undefined && text !== null) {
            made.textContent = String(text);
        }
        return made;
    }

    function kindBadge(kind) {
        return element("span", "kind-badge kind-" + (KIND_NAMES[kind] ? kind : "unknown"), KIND_NAMES[kind] || kind);
    }

    function evidenceItem(item) {
        var entry = element("li", STANCE_NAMES[item.stance] ? item.stance : "");
        entry.appendChild(element("span", "stance stance-" + item.stance, STANCE_NAMES[item.stance] || item.stance));
        entry.appendChild(document.createTextNode(" "));
        entry.appendChild(element("span", item.is_quote ? "quote" : "", item.text));
        if (item.source) {
            entry.appendChild(element("div", "source", "Source: " + item.source));
        }
        return entry;
    }

    /* ---------- hover cards ---------- */
    function nodeCard(node) {
        var card = element("div", "hover-card");
        card.appendChild(element("h3", "", node.name));
        card.appendChild(kindBadge(node.kind));
        if (node.definition) {
            card.appendChild(element("p", "", node.definition));
        }
        if (node.synonyms && node.synonyms.length) {
            card.appendChild(element("p", "muted", "Also called: " + node.synonyms.join(", ")));
        }
        return card;
    }

    function edgeCard(edge) {
        var card = element("div", "hover-card");
        var head = element("h3", "", edge.subject_label + " " + edge.relation_label + " " + edge.object_label);
        if (edge.disputed) {
            head.appendChild(element("span", "disputed-mark", "\u26A0 disputed"));
        }
        card.appendChild(head);
        if (edge.statement) {
            card.appendChild(element("p", "", edge.statement));
        }
        if (edge.evidence && edge.evidence.length) {
            var list = element("ul", "evidence");
            edge.evidence.forEach(function (item) {
                list.appendChild(evidenceItem(item));
            });
            card.appendChild(list);
        }
        return card;
    }

    /* ---------- the network ---------- */
    var nodes = new vis.DataSet(data.nodes.map(function (node) {
        return Object.assign({}, node, { title: nodeCard(node) });
    }));
    var edges = new vis.DataSet(data.edges.map(function (edge) {
        return Object.assign({}, edge, { title: edgeCard(edge) });
    }));
    var original = {
        nodes: nodes.get({ fields: ["id", "color", "font"] }),
        edges: edges.get({ fields: ["id", "color", "width", "font"] })
    };

    var options = {
        autoResize: true,
        physics: { enabled: false },
        layout: { improvedLayout: false },
        interaction: {
            hover: true,
            tooltipDelay: 120,
            navigationButtons: true,
            /* autoFocus off: vis would focus (and so scroll to) the drawing on every press; the
               mousedown handler below focuses it without scrolling. */
            keyboard: { enabled: true, bindToWindow: false, autoFocus: false },
            multiselect: false
        },
        nodes: {
            borderWidth: 2,
            size: 17,
            font: {
                size: 19, face: "system-ui, sans-serif", color: "#1d2733",
                strokeWidth: 5, strokeColor: "#ffffff"
            }
        },
        edges: {
            smooth: false,
            arrows: { to: { enabled: true, scaleFactor: 0.65 } },
            selectionWidth: 2,
            hoverWidth: 1.5,
            font: {
                size: 12, face: "system-ui, sans-serif", color: "#3d4955", align: "middle",
                /* A background, not only a stroke: through the gaps between words the line showed as
                   dots ("relieves·⚠·disputed"). */
                strokeWidth: 4, strokeColor: "#ffffff", background: "#ffffff"
            }
        }
    };

    var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
    network.once("afterDrawing", function () {
        container.setAttribute("data-drawn-nodes", String(nodes.length));
        container.setAttribute("data-drawn-edges", String(edges.length));
        container.setAttribute("data-ready", "true");
    });
    /* Pressing the mouse on the drawing focuses it (for the keyboard) WITHOUT scrolling: a browser
       scrolls a newly focused element into view, so on a drawing that runs below the fold the page
       jumped between press and release and the click missed the shape under the mouse. */
    container.addEventListener("mousedown", function (event) {
        var target = event.target.closest("[tabindex]");
        if (target && container.contains(target)) {
            event.preventDefault();
            target.focus({ preventScroll: true });
        }
    }, true);

    /* ---------- details panel: what was clicked, with links ---------- */
    var panel = document.getElementById("graph-details");

    function openPanel(title) {
        panel.replaceChildren();
        var close = element("button", "secondary close", "\u00D7");
        close.type = "button";
        close.setAttribute("aria-label", "Close the details");
        close.addEventListener("click", function () {
            panel.hidden = true;
            network.unselectAll();
        });
        panel.appendChild(close);
        if (title) {
            panel.appendChild(element("h2", "", title));
        }
        panel.hidden = false;
    }

    function showNode(id) {
        if (!panel) {
            return;
        }
        var node = nodes.get(id);
        openPanel(node.name);
        panel.appendChild(kindBadge(node.kind));
        if (node.definition) {
            panel.appendChild(element("p", "", node.definition));
        }
        if (node.synonyms && node.synonyms.length) {
            panel.appendChild(element("p", "muted", "Also called: " + node.synonyms.join(", ")));
        }
        if (data.links) {
            var links = element("p", "entity-actions");
            var page = element("a", "button", "Open its page");
            page.href = "/entity/" + encodeURIComponent(node.id);
            var around = element("a", "button secondary", "Draw what is around it");
            around.href = "/graph?focus=" + encodeURIComponent(node.id) + "&depth=1";
            links.appendChild(page);
            links.appendChild(around);
            panel.appendChild(links);
        }
    }

    function showEdge(id) {
        if (!panel) {
            return;
        }
        var edge = edges.get(id);
        openPanel("");
        panel.appendChild(edgeCard(edge));
        if (data.links && edge.claim) {
            var link = element("a", "", "All about " + edge.subject_label);
            link.href = "/entity/" + encodeURIComponent(edge.from) + "#claim-" + encodeURIComponent(edge.claim);
            var para = element("p", "claim-links");
            para.appendChild(link);
            panel.appendChild(para);
        }
    }

    network.on("click", function (params) {
        if (params.nodes.length) {
            showNode(params.nodes[0]);
        } else if (params.edges.length) {
            showEdge(params.edges[0]);
        }
    });
    network.on("doubleClick", function (params) {
        if (data.links && params.nodes.length) {
            window.location.href = "/entity/" + encodeURIComponent(params.nodes[0]);
        }
    });

    /* ---------- the search / select menu: labels, not ids ---------- */
    var select = document.getElementById("node-select");
    if (select) {
        data.nodes
            .slice()
            .sort(function (a, b) { return a.name.localeCompare(b.name); })
            .forEach(function (node) {
                var option = element("option", "", node.name);
                option.value = node.id;
                select.appendChild(option);
            });
        select.addEventListener("change", function () {
            if (!select.value) {
                network.unselectAll();
                return;
            }
            network.selectNodes([select.value]);
            network.focus(select.value, { scale: 1.1, animation: { duration: 400 } });
            showNode(select.value);
        });
    }

    var context = document.getElementById("show-context");
    if (context) {
        context.addEventListener("change", function () {
            edges.update(edges.get({ filter: function (edge) { return edge.context; } }).map(function (edge) {
                return { id: edge.id, hidden: !context.checked };
            }));
        });
    }

    var fit = document.getElementById("graph-fit");
    if (fit) {
        fit.addEventListener("click", function () {
            network.fit({ animation: { duration: 300 } });
        });
    }

    /* ---------- paths: highlight one ranked chain, fade the rest ---------- */
    var highlighted = [];

    function highlightPath(rank) {
        var onPath = {};
        var pathNodes = {};
        edges.forEach(function (edge) {
            if (edge.paths && edge.paths.indexOf(rank) >= 0) {
                onPath[edge.id] = true;
                pathNodes[edge.from] = true;
                pathNodes[edge.to] = true;
            }
        });
        highlighted = Object.keys(onPath);
        edges.update(original.edges.map(function (edge) {
            if (onPath[edge.id]) {
                return { id: edge.id, color: { color: HIGHLIGHT, hover: HIGHLIGHT, highlight: HIGHLIGHT },
                         width: 5, font: { color: "#10304f", size: 14, bold: true } };
            }
            return { id: edge.id, color: { color: FADED, hover: FADED, highlight: FADED }, width: 1,
                     font: { color: "rgba(61, 73, 85, 0.45)" } };
        }));
        nodes.update(original.nodes.map(function (node) {
            if (pathNodes[node.id]) {
                return { id: node.id, color: node.color, font: { color: "#1d2733" } };
            }
            return { id: node.id, color: { background: "#e9ecef", border: "#c3cad1" },
                     font: { color: "rgba(29, 39, 51, 0.45)" } };
        }));
        document.querySelectorAll("[data-path-rank]").forEach(function (item) {
            var shown = Number(item.getAttribute("data-path-rank")) === rank;
            item.classList.toggle("shown", shown);
            var button = item.querySelector("button.show-path");
            if (button) {
                button.setAttribute("aria-pressed", shown ? "true" : "false");
            }
        });
    }

    document.querySelectorAll("button.show-path").forEach(function (button) {
        button.addEventListener("click", function () {
            highlightPath(Number(button.closest("[data-path-rank]").getAttribute("data-path-rank")));
        });
    });
    if (data.paths > 0) {
        highlightPath(1);
    }

    /* Read-only handle for people poking at the page (and the browser tests). */
    window.painlinkGraph = {
        network: network,
        nodes: nodes,
        edges: edges,
        highlighted: function () { return highlighted.slice(); },
        highlightPath: highlightPath,
        showNode: showNode,
        showEdge: showEdge
    };
}());
