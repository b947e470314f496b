"""Inline CSS and JavaScript of the HTML digest: the page must not load anything."""

from __future__ import annotations

CSS = """
:root { color-scheme: light dark; --ink: #1d2530; --ink-en: #2b3a4f; --muted: #5b6675;
  --line: #d8dee6; --hl: #ffe27a; --hl-ink: inherit; --pin: #ffb703; --accent: #1f5fbf;
  --warn: #b3261e; --bg: #fbfbfa; --card: #fff; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e4e8ee; --ink-en: #c3cedd; --muted: #9aa6b5; --line: #3a4350; --hl: #6b5800;
    --hl-ink: #fff8dc; --pin: #e0a000; --accent: #8ab4ff; --warn: #ff8a80; --bg: #121519;
    --card: #1b2027; }
}
* { box-sizing: border-box; }
/* Long tokens (URLs, compounds, ids) wrap anywhere: the page is never wider than the screen. */
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); overflow-wrap: anywhere; }
header, footer { padding: 1rem 1.5rem; }
header h1 { margin: 0 0 .25rem; font-size: 1.6rem; line-height: 1.25; }
header .title-en { margin: 0; color: var(--muted); font-style: italic; }
.meta, footer { color: var(--muted); font-size: .85rem; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem;
  padding: 0 1.5rem 1.5rem; align-items: start; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
h2 { font-size: 1.15rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
.cols.single { grid-template-columns: minmax(0, 1fr); }
.col { margin: 0; }
.col[lang="en"] { color: var(--ink-en); }
.lang { display: inline-block; font-size: .7rem; font-weight: 700; color: var(--muted);
  letter-spacing: .05em; margin-right: .35rem; }
ol.bullets { list-style: none; padding: 0; margin: 0; counter-reset: k; }
li.bullet { counter-increment: k; position: relative; padding: .6rem .75rem .6rem 2.4rem;
  margin: 0 0 .5rem; border: 1px solid var(--line); border-radius: 8px; background: var(--card);
  cursor: pointer; }
li.bullet::before { content: counter(k); position: absolute; left: .75rem; top: .6rem;
  font-weight: 700; color: var(--accent); }
li.bullet:hover, li.bullet.active { border-color: var(--accent); }
li.bullet.pinned { border-color: var(--pin); box-shadow: 0 0 0 2px var(--pin); }
li.bullet:focus { outline: 2px solid var(--accent); outline-offset: 2px; }
.src { margin: .35rem 0 0; font-size: .8rem; color: var(--muted); }
.flagged { color: var(--warn); font-weight: 700; }
ul.flags { color: var(--warn); font-size: .85rem; margin: .35rem 0 0; padding-left: 1.2rem; }
.article { position: sticky; top: 0; max-height: 100vh; overflow: auto; background: var(--card);
  border: 1px solid var(--line); border-radius: 8px; padding: 0 1rem 1rem; }
.article p, .article li, .article blockquote { margin: 0 0 .6rem; }
.article .dup { opacity: .55; }
.sent { border-radius: 3px; }
.sent.hl { background: var(--hl); box-shadow: 0 0 0 2px var(--hl); color: var(--hl-ink); }
.hint { font-size: .8rem; color: var(--muted); }
/* Phones: German above English, and the article flows below the digest in the page itself. */
@media (max-width: 600px) {
  header, footer { padding: .75rem 1rem; }
  main { padding: 0 1rem 1rem; gap: 1rem; }
  .cols { grid-template-columns: minmax(0, 1fr); gap: .35rem; }
  .article { position: static; max-height: none; overflow: visible; }
}
"""

# Hovering a bullet (or focusing it with the keyboard) highlights its source sentences;
# clicking pins the highlight and brings the first source sentence into view.
JS = """
(function () {
  "use strict";
  var sentences = {};
  document.querySelectorAll(".sent[data-sid]").forEach(function (el) {
    sentences[el.getAttribute("data-sid")] = el;
  });
  var bullets = Array.prototype.slice.call(document.querySelectorAll("li.bullet"));
  var pinned = null;
  function sourcesOf(bullet) {
    return (bullet.getAttribute("data-sources") || "").split(" ").filter(Boolean)
      .map(function (id) { return sentences[id]; }).filter(Boolean);
  }
  function clear() {
    document.querySelectorAll(".sent.hl").forEach(function (el) { el.classList.remove("hl"); });
    bullets.forEach(function (b) { b.classList.remove("active"); });
  }
  function show(bullet) {
    clear();
    if (!bullet) { return; }
    bullet.classList.add("active");
    sourcesOf(bullet).forEach(function (el) { el.classList.add("hl"); });
  }
  function toggle(bullet) {
    pinned = pinned === bullet ? null : bullet;
    bullets.forEach(function (b) {
      b.classList.toggle("pinned", b === pinned);
      b.setAttribute("aria-pressed", b === pinned ? "true" : "false");
    });
    show(pinned);
    var first = pinned ? sourcesOf(pinned)[0] : null;
    if (first) {
      // Beside the digest, scroll only the article pane so the clicked bullet stays put.
      var pane = document.getElementById("article");
      pane.scrollTop = Math.max(0, first.offsetTop - pane.clientHeight / 3);
      // On a phone the article is below the digest: bring the sentence itself into view.
      var box = first.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) {
        first.scrollIntoView({ block: "center" });
      }
    }
  }
  bullets.forEach(function (b) {
    b.addEventListener("mouseenter", function () { show(b); });
    b.addEventListener("focus", function () { show(b); });
    b.addEventListener("mouseleave", function () { show(pinned); });
    b.addEventListener("blur", function () { show(pinned); });
    b.addEventListener("click", function () { toggle(b); });
    b.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(b); }
    });
  });
})();
"""
