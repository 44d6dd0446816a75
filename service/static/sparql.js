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
            editorHeight: "260px"
        },
        yasr: { persistenceId: null }
    });

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
