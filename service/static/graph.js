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

    // What a reader calls each kind and stance: the page's data carries them (painlink.graph.vocabulary).
    var KIND_NAMES = data.kind_names || {};
    var STANCE_NAMES = data.stance_names || {};
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
            /* Off: vis-network's own buttons are unlabelled divs a keyboard cannot reach; the page has
               real buttons instead (zoom, move, fit), wired below. */
            navigationButtons: false,
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
                size: 12, face: "system-ui, sans-serif", color: "#3d4955",
                /* Level, not along the arrow: a steep arrow turned its words on end. */
                align: "horizontal",
                /* A background, not only a stroke: through the gaps between words the line showed as
                   dots ("relieves·⚠·disputed"). */
                strokeWidth: 4, strokeColor: "#ffffff", background: "#ffffff"
            }
        }
    };

    var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

    /* ---------- labels a person can read ----------
     * vis-network sizes text in drawing units, so on a fitted map of a hundred entities a 19-unit
     * label came out about 10 px on the screen (edge labels 6 px), and on a phone nothing readable.
     * Here the size is chosen ON THE SCREEN: after every zoom each label gets the drawing size that
     * shows it at LABEL_PX (growing a little when zoomed in), and where labels would overlap the
     * minor ones are left out -- what the view is about and the highlighted chain first, then the
     * best connected entities; edge labels only where their arrow is long enough to carry them. */
    var LABEL_PX = {
        node: { min: 14, max: 20, base: 19 },
        focus: { min: 16, max: 22, base: 20 },
        edge: { min: 12, max: 15, base: 12 }
    };
    var FONT_FACE = "system-ui, sans-serif";
    var EDGE_INK = "#3d4955";   // options.edges.font.color
    var ruler = document.createElement("canvas").getContext("2d");
    var widths = {};          // label text -> its width at 100 px
    var degree = {};          // node id -> number of story (non-context) relations
    var emphasis = null;      // while a chain is highlighted: { nodes: {id: true}, edges: {id: true} }
    var labelFacts = { nodes: 0, shownNodes: 0, edges: 0, shownEdges: 0, nodePx: 0, edgePx: 0 };

    data.edges.forEach(function (edge) {
        if (!edge.context) {
            degree[edge.from] = (degree[edge.from] || 0) + 1;
            degree[edge.to] = (degree[edge.to] || 0) + 1;
        }
    });

    function textWidth(text, px) {
        if (!(text in widths)) {
            ruler.font = "100px " + FONT_FACE;
            widths[text] = Math.max.apply(null, text.split("\n").map(function (line) {
                return ruler.measureText(line).width;
            }));
        }
        return widths[text] * px / 100;
    }

    function screenPx(kind, scale) {
        var rule = LABEL_PX[kind];
        return Math.min(rule.max, Math.max(rule.min, rule.base * scale));
    }

    function overlapsAny(box, placed) {
        for (var i = 0; i < placed.length; i += 1) {
            var other = placed[i];
            if (box.x1 < other.x2 && box.x2 > other.x1 && box.y1 < other.y2 && box.y2 > other.y1) {
                return true;
            }
        }
        return false;
    }

    function edgeMiddle(id, edge, positions) {
        var drawn = network.body && network.body.edges[id];
        if (drawn && drawn.edgeType && drawn.edgeType.getPoint) {
            return network.canvasToDOM(drawn.edgeType.getPoint(0.5));
        }
        var from = positions[edge.from], to = positions[edge.to];
        return network.canvasToDOM({ x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 });
    }

    function relabel() {
        var scale = network.getScale();
        var positions = network.getPositions();
        var placed = [];
        var nodeUpdates = [];
        var edgeUpdates = [];
        var shownNodes = 0, shownEdges = 0;
        var nodeOrder = data.nodes.slice().sort(function (a, b) {
            var must = Number(Boolean(b.focus || (emphasis && emphasis.nodes[b.id]))) -
                       Number(Boolean(a.focus || (emphasis && emphasis.nodes[a.id])));
            return must || (degree[b.id] || 0) - (degree[a.id] || 0) || a.name.localeCompare(b.name);
        });
        nodeOrder.forEach(function (node) {
            var px = screenPx(node.focus ? "focus" : "node", scale);
            var spot = network.canvasToDOM(positions[node.id]);
            var lines = node.label.split("\n").length;
            var half = textWidth(node.label, px) / 2 + 3;
            var top = spot.y + (node.size || 17) * scale + 2;
            // (a little room around each label: words that touch read as one)
            var box = { x1: spot.x - half - 4, x2: spot.x + half + 4, y1: top - 1, y2: top + lines * px * 1.2 + 2 };
            var must = node.focus || (emphasis && emphasis.nodes[node.id]);
            var show = Boolean(must) || !overlapsAny(box, placed);
            if (show) {
                placed.push(box);
                shownNodes += 1;
            }
            var faded = emphasis && !emphasis.nodes[node.id];
            nodeUpdates.push({
                id: node.id,
                label: show ? node.label : "",
                font: Object.assign({}, node.font || {}, {
                    size: px / scale, color: faded ? "#5f6b77" : "#1d2733"
                })
            });
        });
        // Edge labels, the minor ones, also keep clear of the shapes.
        var shapes = data.nodes.map(function (node) {
            var spot = network.canvasToDOM(positions[node.id]);
            var r = (node.size || 17) * scale + 2;
            return { x1: spot.x - r, x2: spot.x + r, y1: spot.y - r, y2: spot.y + r };
        });
        var edgeOrder = data.edges.filter(function (edge) { return edge.label; }).sort(function (a, b) {
            var onB = Number(Boolean(emphasis && emphasis.edges[b.id]));
            var onA = Number(Boolean(emphasis && emphasis.edges[a.id]));
            return (onB - onA) || (Number(b.disputed) - Number(a.disputed)) || ((b.width || 0) - (a.width || 0));
        });
        var hiddenEdge = {};
        edges.forEach(function (edge) { hiddenEdge[edge.id] = edge.hidden; });
        edgeOrder.forEach(function (edge) {
            var on = emphasis && emphasis.edges[edge.id];
            var px = screenPx("edge", scale) + (on ? 2 : 0);
            var show = false;
            if (!hiddenEdge[edge.id] && (on || !emphasis)) {
                var from = network.canvasToDOM(positions[edge.from]);
                var to = network.canvasToDOM(positions[edge.to]);
                var length = Math.sqrt(Math.pow(to.x - from.x, 2) + Math.pow(to.y - from.y, 2));
                var width = textWidth(edge.label, px);
                var middle = edgeMiddle(edge.id, edge, positions);
                var box = { x1: middle.x - width / 2 - 2, x2: middle.x + width / 2 + 2,
                            y1: middle.y - px * 0.7, y2: middle.y + px * 0.7 };
                show = on || (length > width + 40 && !overlapsAny(box, placed) && !overlapsAny(box, shapes));
                if (show) {
                    placed.push(box);
                    shownEdges += 1;
                }
            }
            // Every field each time: vis-network merges an update into the edge's last font, so a
            // label once hidden would come back without its background.
            var font = {
                size: px / scale,
                color: on ? "#10304f" : ((edge.font && edge.font.color) || EDGE_INK),
                background: "#ffffff", strokeWidth: 4, strokeColor: "#ffffff"
            };
            if (!show) {
                // vis-network keeps an edge's label when given an empty one: left out, it is drawn
                // in no colour on no background instead.
                font = { size: px / scale, color: "rgba(0, 0, 0, 0)", background: "rgba(0, 0, 0, 0)", strokeWidth: 0 };
            }
            edgeUpdates.push({ id: edge.id, font: font });
        });
        nodes.update(nodeUpdates);
        edges.update(edgeUpdates);
        labelFacts = {
            nodes: nodeUpdates.length, shownNodes: shownNodes, edges: edgeUpdates.length, shownEdges: shownEdges,
            nodePx: screenPx("node", scale), edgePx: screenPx("edge", scale), scale: scale
        };
    }

    var relabelPending = false;
    function scheduleRelabel() {
        if (!relabelPending) {
            relabelPending = true;
            window.requestAnimationFrame(function () {
                relabelPending = false;
                relabel();
            });
        }
    }
    network.on("zoom", scheduleRelabel);
    network.on("animationFinished", scheduleRelabel);
    network.on("resize", scheduleRelabel);

    /* ---------- where the view opens ----------
     * The whole map opens on one neighbourhood (its best connected entity and what it links to),
     * where the labels can be read; "Show the whole drawing" fits everything. A neighbourhood or a
     * chain view is small enough to open whole. */
    var note = document.getElementById("graph-view-note");
    var OPENING_SCALE = { min: 0.75, max: 1.2 };
    var wholeMap = data.paths === 0 && !data.nodes.some(function (node) { return node.focus; });

    function openingView() {
        if (!wholeMap || data.nodes.length <= 25) {
            network.fit({ animation: false });
            return;
        }
        var start = data.nodes.slice().sort(function (a, b) {
            return (degree[b.id] || 0) - (degree[a.id] || 0) || a.name.localeCompare(b.name);
        })[0];
        var around = [start.id].concat(network.getConnectedNodes(start.id));
        network.fit({ nodes: around, animation: false });
        // Its links may reach across the map: then the view closes in on the entity itself, at a
        // scale where the drawing's own sizes read as drawn.
        var scale = Math.min(OPENING_SCALE.max, Math.max(OPENING_SCALE.min, network.getScale()));
        network.moveTo({ position: network.getPosition(start.id), scale: scale, animation: false });
        if (note) {
            note.textContent = "Showing the part of the map around " + start.name + " (linked to " +
                (around.length - 1) + " of the " + data.nodes.length + " entities). Drag or zoom to " +
                "explore, or choose \u201CShow the whole drawing\u201D.";
            note.hidden = false;
        }
    }

    network.once("afterDrawing", function () {
        openingView();
        relabel();
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

    var returnFocus = null;   // where the keyboard was before the panel opened

    function closePanel() {
        if (!panel || panel.hidden) {
            return false;
        }
        panel.hidden = true;
        network.unselectAll();
        if (returnFocus && document.contains(returnFocus)) {
            returnFocus.focus({ preventScroll: true });
        }
        returnFocus = null;
        return true;
    }

    function openPanel(title) {
        if (panel.hidden) {
            returnFocus = document.activeElement;
        }
        panel.replaceChildren();
        var close = element("button", "secondary close", "\u00D7");
        close.type = "button";
        close.setAttribute("aria-label", "Close the details");
        close.addEventListener("click", closePanel);
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
            scheduleRelabel();
        });
    }

    /* ---------- keyboard: the page's own buttons, the drawing's keys, Escape ---------- */
    var fit = document.getElementById("graph-fit");
    if (fit) {
        fit.addEventListener("click", function () {
            network.fit({ animation: { duration: 300 } });
            if (note) {
                note.hidden = true;
            }
        });
    }

    var ZOOM_STEP = 1.3;
    var PAN_SHARE = 0.25;   // of the drawing's width or height per press
    var PAN = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };
    document.querySelectorAll("[data-graph-zoom], [data-graph-pan]").forEach(function (button) {
        button.addEventListener("click", function () {
            var scale = network.getScale();
            var centre = network.getViewPosition();
            var zoom = button.getAttribute("data-graph-zoom");
            if (zoom) {
                network.moveTo({ scale: zoom === "in" ? scale * ZOOM_STEP : scale / ZOOM_STEP,
                                 animation: { duration: 200 } });
                return;
            }
            var way = PAN[button.getAttribute("data-graph-pan")];
            network.moveTo({
                position: { x: centre.x + way[0] * PAN_SHARE * container.clientWidth / scale,
                            y: centre.y + way[1] * PAN_SHARE * container.clientHeight / scale },
                animation: { duration: 200 }
            });
        });
    });

    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && closePanel()) {
            event.preventDefault();
        }
    });

    /* ---------- a list instead of the drawing (the default on a narrow screen) ---------- */
    var stage = container.closest(".graph-stage");
    var viewButtons = document.querySelectorAll("[data-graph-view]");

    function showView(view) {
        if (!stage) {
            return;
        }
        stage.classList.toggle("list-view", view === "list");
        viewButtons.forEach(function (button) {
            button.setAttribute("aria-pressed", button.getAttribute("data-graph-view") === view ? "true" : "false");
        });
        if (view === "drawing") {
            network.redraw();
            scheduleRelabel();
        }
    }
    viewButtons.forEach(function (button) {
        button.addEventListener("click", function () {
            showView(button.getAttribute("data-graph-view"));
        });
    });
    if (viewButtons.length && window.matchMedia("(max-width: 40rem)").matches) {
        network.once("afterDrawing", function () { showView("list"); });
    }

    /* ---------- paths: highlight one ranked chain, fade the rest ---------- */
    var highlighted = [];

    function highlightPath(rank, reveal) {
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
        emphasis = { nodes: pathNodes, edges: onPath };
        edges.update(original.edges.map(function (edge) {
            if (onPath[edge.id]) {
                return { id: edge.id, color: { color: HIGHLIGHT, hover: HIGHLIGHT, highlight: HIGHLIGHT }, width: 5 };
            }
            return { id: edge.id, color: { color: FADED, hover: FADED, highlight: FADED }, width: 1 };
        }));
        nodes.update(original.nodes.map(function (node) {
            if (pathNodes[node.id]) {
                return { id: node.id, color: node.color };
            }
            return { id: node.id, color: { background: "#e9ecef", border: "#c3cad1" } };
        }));
        relabel();
        document.querySelectorAll("[data-path-rank]").forEach(function (item) {
            var shown = Number(item.getAttribute("data-path-rank")) === rank;
            item.classList.toggle("shown", shown);
            var button = item.querySelector("button.show-path");
            if (button) {
                button.setAttribute("aria-pressed", shown ? "true" : "false");
            }
        });
        if (reveal) {
            /* The chain is drawn where the reader can see it: the list view gives way to the
               drawing, the drawing comes into the window (after chain 2's button it had been
               642 px above the screen), and the view closes in on the chain. */
            showView("drawing");
            var box = container.getBoundingClientRect();
            if (box.top < 0 || box.bottom > window.innerHeight) {
                container.scrollIntoView({ block: box.height > window.innerHeight ? "start" : "center" });
            }
            network.fit({ nodes: Object.keys(pathNodes), animation: { duration: 300 } });
        }
    }

    document.querySelectorAll("button.show-path").forEach(function (button) {
        button.addEventListener("click", function () {
            highlightPath(Number(button.closest("[data-path-rank]").getAttribute("data-path-rank")), true);
        });
    });
    if (data.paths > 0) {
        network.once("afterDrawing", function () { highlightPath(1, false); });
    }

    /* Read-only handle for people poking at the page (and the browser tests). */
    window.painlinkGraph = {
        network: network,
        nodes: nodes,
        edges: edges,
        highlighted: function () { return highlighted.slice(); },
        highlightPath: highlightPath,
        labels: function () { return Object.assign({}, labelFacts); },
        showView: showView,
        showNode: showNode,
        showEdge: showEdge
    };
}());
