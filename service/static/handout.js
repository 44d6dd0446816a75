/* painlink: the "Print a handout" buttons, and the page's address on the paper.
 *
 * The print stylesheet (painlink.css, @media print) leaves out navigation, forms and buttons, opens
 * the evidence and writes each source's address after it; this adds the address of the page itself
 * to the footer line that carries the date, so a handout says where it came from.
 */
(function () {
    "use strict";

    document.querySelectorAll(".print-address").forEach(function (slot) {
        slot.textContent = " Address: " + window.location.href;
    });
    document.querySelectorAll("button[data-print]").forEach(function (button) {
        button.addEventListener("click", function () {
            window.print();
        });
    });
}());
