import Foundation

/// The page `rsearch serve` serves, compiled into the binary: no network
/// access, no CDN. The script builds every node from the API's JSON with
/// `textContent` and `createElement`, never `innerHTML`, so a report holding
/// `<script>` shows it as text; the page has no inline script or style, which
/// the Content-Security-Policy (`Guard.policy`) forbids anyway.
enum PageAssets {
    /// The page, its own files' addresses carrying the server's token when
    /// it has one (served only to a request that carried it): a browser
    /// opened at `/?token=T` loads the script and style with it too.
    /// Percent-encoded, the token holds nothing HTML would read.
    static func page(token: String?) -> String {
        guard let token, let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return html }
        return html.replacingOccurrences(of: "href=\"/app.css\"", with: "href=\"/app.css?token=\(encoded)\"")
            .replacingOccurrences(of: "src=\"/app.js\"", with: "src=\"/app.js?token=\(encoded)\"")
            .replacingOccurrences(of: "href=\"/opensearch.xml\"", with: "href=\"/opensearch.xml?token=\(encoded)\"")
    }

    static let html = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>rsearch</title>
        <link rel="stylesheet" href="/app.css">
        <link rel="icon" href="data:,">
        <link rel="search" type="application/opensearchdescription+xml" title="rsearch" href="/opensearch.xml">
        <script src="/app.js" defer></script>
        </head>
        <body>
        <header>
        <form id="search" role="search" action="/" method="get">
        <input id="q" name="q" type="search" autocomplete="off" autofocus placeholder="搜索：意识形态 year:2022 kind:述职报告" aria-label="query">
        <select id="sort" aria-label="sort">
        <option value="score">按相关度</option><option value="year">按年份</option><option value="path">按路径</option>
        </select>
        <button type="submit">搜索</button>
        </form>
        <div id="chips" aria-label="filters"></div>
        <p id="status" aria-live="polite"></p>
        <p id="notice" hidden></p>
        </header>
        <div id="layout">
        <aside id="facets" hidden>
        <section><h3>年份</h3><div id="histogram"></div></section>
        <section><h3>类别</h3><ul id="kinds"></ul></section>
        <section><h3>单位</h3><ul id="units"></ul></section>
        </aside>
        <main>
        <section id="results" aria-label="hits"></section>
        <nav id="pages" aria-label="pages"></nav>
        <p id="export" hidden>导出全部结果（至多 1000 条）：<a id="export-csv">CSV</a> · <a id="export-json">JSON</a> · <a id="export-jsonl">JSON Lines</a></p>
        </main>
        </div>
        <div id="preview" hidden>
        <div id="preview-bar">
        <button id="close" type="button" aria-label="close">×</button>
        <h2 id="preview-title"></h2>
        <p id="preview-meta"></p>
        <p id="preview-tools">
        <button id="previous-match" type="button" aria-label="previous match">↑</button>
        <span id="counter"></span>
        <button id="next-match" type="button" aria-label="next match">↓</button>
        <a id="permalink">本节链接</a> · <a id="original">下载原文件</a>
        </p>
        </div>
        <div id="preview-body">
        <nav id="outline" aria-label="outline"></nav>
        <article id="preview-text"></article>
        </div>
        </div>
        <footer id="index"></footer>
        </body>
        </html>
        """

    static let style = """
        body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 0; color: #222; line-height: 1.6; }
        header { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid #ddd; padding: .6em 1em; }
        form { display: flex; gap: .5em; max-width: 70em; }
        #q { flex: 1; min-width: 0; font-size: 1.1em; padding: .35em .5em; }
        button, select { font-size: 1em; }
        #chips { display: flex; flex-wrap: wrap; gap: .4em; margin-top: .4em; }
        #chips:empty { display: none; }
        .chip { border: 1px solid #c60; background: #fff8f0; border-radius: 1em; padding: 0 .7em; cursor: pointer; }
        #status, footer { color: #666; font-size: .9em; margin: .3em 0 0; }
        #notice { background: #fff3cd; border: 1px solid #e0c060; padding: .3em .6em; margin: .4em 0 0; font-size: .9em; }
        #layout { display: flex; gap: 1.5em; padding: 0 1em; max-width: 84em; }
        #facets { flex: 0 0 15em; font-size: .9em; padding-top: 1em; }
        #facets h3 { font-size: 1em; margin: .8em 0 .3em; color: #444; }
        #facets ul { list-style: none; padding: 0; margin: 0; }
        #facets li button { all: unset; cursor: pointer; display: flex; justify-content: space-between; width: 100%; gap: .5em; }
        #facets li button:hover, #facets li button:focus { color: #06c; text-decoration: underline; }
        #facets li button.active { font-weight: bold; color: #c60; }
        .count { color: #888; }
        #histogram { display: flex; align-items: flex-end; gap: 1px; height: 4.5em; border-bottom: 1px solid #ccc; }
        #histogram button { all: unset; flex: 1; min-width: 2px; background: #7aa7d8; cursor: pointer; }
        #histogram button:hover, #histogram button:focus { background: #06c; }
        #histogram button.active { background: #c60; }
        #years { display: flex; justify-content: space-between; color: #888; font-size: .8em; }
        main { flex: 1; min-width: 0; }
        .report { margin: 1.2em 0; }
        .report h2 { font-size: 1.1em; margin: 0; }
        .meta { color: #666; font-size: .85em; margin: 0 0 .3em; word-break: break-all; }
        .hit { margin: .4em 0 .8em 1em; padding: .2em .5em; border-left: 3px solid transparent; cursor: pointer; }
        .hit.current { border-left-color: #c60; background: #fff8f0; }
        .where { color: #06c; font-size: .9em; }
        .snippet { margin: .2em 0; }
        mark { background: #ffe066; color: inherit; }
        mark.current { background: #ff9632; outline: 2px solid #c60; }
        .ocr { color: #a40; font-weight: bold; }
        nav#pages { margin: 1em 0; display: flex; gap: 1em; }
        #export { color: #666; font-size: .9em; margin-bottom: 3em; }
        #preview { position: fixed; inset: 0 0 0 auto; z-index: 2; width: min(60em, 100%); background: #fff; border-left: 1px solid #ccc;
                   display: flex; flex-direction: column; box-shadow: -4px 0 12px rgba(0,0,0,.08); }
        #preview[hidden] { display: none; }
        #preview-bar { padding: .6em 1.2em; border-bottom: 1px solid #ddd; }
        #preview-bar h2 { font-size: 1.1em; margin: 0; }
        #preview-meta, #preview-tools { margin: .2em 0 0; color: #666; font-size: .85em; word-break: break-all; }
        #counter { display: inline-block; min-width: 4em; text-align: center; }
        #close { float: right; }
        #preview-body { flex: 1; display: flex; min-height: 0; }
        #outline { flex: 0 0 14em; overflow-y: auto; border-right: 1px solid #eee; padding: .5em; font-size: .85em; }
        #outline a { display: block; color: #06c; text-decoration: none; padding: .1em 0; overflow-wrap: anywhere; }
        #outline a.here { font-weight: bold; color: #c60; }
        #preview-text { flex: 1; overflow-y: auto; padding: .5em 1.2em 3em; }
        .section { margin: 0 0 1em; scroll-margin-top: .5em; }
        .section .path { color: #06c; font-size: .8em; margin: 0; }
        .section .path a { color: inherit; }
        .section.here { background: #fffdf5; }
        .section pre { white-space: pre-wrap; font-family: inherit; margin: 0; }
        footer { padding: 0 1em 1em; }
        @media (max-width: 48em) {
          #layout { flex-direction: column; gap: 0; }
          #facets { flex: none; padding-top: .3em; }
          #facets h3 { margin: .4em 0 .2em; }
          #facets ul { display: flex; flex-wrap: wrap; gap: .1em 1.2em; }
          #facets li button { width: auto; }
          #histogram { height: 2.5em; }
          .hit { margin-left: 0; }
          header { padding: .5em; }
          #outline { display: none; }
        }
        """

    static let script = #"""
        "use strict";
        const $ = (selector) => document.querySelector(selector);
        // The settings a URL carries; anything else in it (a token) is kept as it is.
        const FILTERS = ["year", "kind", "unit"];
        const NAMES = { year: "年份", kind: "类别", unit: "单位", sort: "排序" };
        const SORTS = { score: "按相关度", year: "按年份", path: "按路径" };
        const PAGE = 10;
        const token = new URLSearchParams(location.search).get("token");
        let hits = [], current = -1, shown = "", marks = [], markAt = -1, previewPushed = false;

        function element(tag, className, text) {
          const node = document.createElement(tag);
          if (className) node.className = className;
          if (text !== undefined) node.textContent = text;
          return node;
        }

        function api(path, params) {
          const query = new URLSearchParams(params);
          if (token) query.set("token", token);
          return path + "?" + query.toString();
        }

        async function getJSON(path, params) {
          const response = await fetch(api(path, params));
          const body = await response.json();
          if (!response.ok) throw new Error(body.error || response.statusText);
          return body;
        }

        // The search's own parameters: the query, the filters, the sort.
        function searchParams(params, without) {
          const out = new URLSearchParams();
          for (const key of ["q", ...FILTERS, "sort"]) {
            if (key !== without && params.get(key)) out.set(key, params.get(key));
          }
          return out;
        }

        // A section's text with every match in <mark> (offsets are code points).
        function marked(container, text, matches, from, to) {
          const chars = Array.from(text);
          from = from === undefined ? 0 : from;
          to = to === undefined ? chars.length : to;
          let at = from;
          const squash = (s) => container.tagName === "PRE" ? s : s.replace(/\s+/g, " ");
          for (const [a0, b0] of matches) {
            if (b0 <= from || a0 >= to) continue;
            const a = Math.max(a0, at), b = Math.min(b0, to);
            if (a > at) container.append(squash(chars.slice(at, a).join("")));
            container.append(element("mark", "", chars.slice(a, b).join("")));
            at = b;
          }
          if (to > at) container.append(squash(chars.slice(at, to).join("")));
          return container;
        }

        function snippet(text, matches, context) {
          const length = Array.from(text).length;
          const first = matches.length ? matches[0][0] : 0;
          const start = Math.max(0, first - context), end = Math.min(length, start + 160);
          const node = element("p", "snippet");
          if (start > 0) node.append("…");
          marked(node, text, matches, start, end);
          if (end < length) node.append("…");
          return node;
        }

        function where(section) {
          const path = section.path.length ? section.path.join(" › ") : "(开头)";
          return path + " :" + section.line + (section.page ? " p." + section.page : "");
        }

        function metaLine(report) {
          return [report.year, report.kind, report.author, report.unit, report.path].filter((x) => x).join(" · ");
        }

        function renderHits(result, seconds, params) {
          const results = $("#results");
          results.replaceChildren();
          hits = result.hits; current = -1;
          const groups = new Map();
          for (const hit of result.hits) {
            if (!groups.has(hit.report.path)) groups.set(hit.report.path, []);
            groups.get(hit.report.path).push(hit);
          }
          let n = 0;
          for (const [path, group] of groups) {
            const report = group[0].report;
            const box = element("article", "report");
            box.append(element("h2", "", report.title));
            const meta = element("p", "meta");
            if (report.ocr) meta.append(element("span", "ocr", "OCR "));
            meta.append(metaLine(report));
            box.append(meta);
            for (const hit of group) {
              const index = n++;
              const item = element("div", "hit");
              item.dataset.index = index;
              item.tabIndex = 0;
              item.append(element("div", "where", where(hit.section)));
              item.append(snippet(hit.section.text, hit.matches, 40));
              if (hit.duplicates.length) {
                item.append(element("div", "meta", "also in " + hit.duplicates.length + " reports: " +
                  hit.duplicates.map((d) => d.path + ":" + d.line).join(", ")));
              }
              item.addEventListener("click", () => { select(index); openHit(index); });
              box.append(item);
            }
            results.append(box);
          }
          const offset = Number(params.get("offset") || 0);
          $("#status").textContent = result.total === 0 ? "没有结果 (no matches)"
            : result.total + " hits · " + (offset + 1) + "–" + (offset + result.hits.length) + " · " + seconds.toFixed(3) + " s";
          const pages = $("#pages");
          pages.replaceChildren();
          if (offset > 0) pages.append(link("← previous", params, { offset: Math.max(0, offset - PAGE) }));
          if (offset + result.hits.length < result.total) pages.append(link("next →", params, { offset: offset + PAGE }));
          const exported = searchParams(params);
          exported.set("limit", "1000");
          exported.set("download", "true");
          for (const [id, format] of [["export-csv", "csv"], ["export-json", "json"], ["export-jsonl", "jsonl"]]) {
            const p = new URLSearchParams(exported);
            p.set("format", format);
            if (format === "csv") p.set("excel", "true");
            $("#" + id).href = api("/api/search", p);
          }
          $("#export").hidden = result.total === 0;
          if (!document.body.dataset.firstResults) document.body.dataset.firstResults = String(performance.now());
        }

        // A URL like this one with `changes` made (null removes a setting).
        function changed(params, changes) {
          const next = new URLSearchParams(params);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === "") next.delete(key); else next.set(key, String(value));
          }
          return next;
        }

        function link(label, params, changes) {
          const next = changed(params, changes);
          const a = element("a", "", label);
          a.href = "?" + next.toString();
          a.addEventListener("click", (event) => { event.preventDefault(); navigate(next); });
          return a;
        }

        function facetButton(label, count, active, onClick) {
          const item = element("li");
          const button = element("button", active ? "active" : "");
          button.type = "button";
          button.append(element("span", "", label), element("span", "count", String(count)));
          button.addEventListener("click", onClick);
          item.append(button);
          return item;
        }

        function renderFacets(facets, years, params) {
          const histogram = $("#histogram");
          histogram.replaceChildren();
          const largest = Math.max(1, ...years.year.map((y) => y.sections));
          for (const y of years.year) {
            const bar = element("button", String(y.value) === params.get("year") ? "active" : "");
            bar.type = "button";
            bar.dataset.year = y.value;
            bar.title = y.value + "：" + y.sections + " 节，" + y.reports + " 篇";
            bar.setAttribute("aria-label", bar.title);
            bar.style.height = Math.max(4, Math.round(100 * y.sections / largest)) + "%";
            bar.addEventListener("click", () => navigate(changed(params, { year: y.value, offset: null, open: null, section: null })));
            histogram.append(bar);
          }
          const axis = $("#years") || element("div");
          axis.id = "years";
          axis.replaceChildren();
          if (years.year.length) {
            axis.append(element("span", "", String(years.year[0].value)), element("span", "", String(years.year[years.year.length - 1].value)));
          }
          histogram.after(axis);
          for (const [key, list] of [["kind", $("#kinds")], ["unit", $("#units")]]) {
            list.replaceChildren();
            for (const f of facets[key].slice(0, 12)) {
              list.append(facetButton(f.value, f.sections, params.get(key) === f.value,
                () => navigate(changed(params, { [key]: f.value, offset: null, open: null, section: null }))));
            }
          }
          $("#facets").hidden = years.year.length === 0 && facets.kind.length === 0 && facets.unit.length === 0;
        }

        function renderChips(params) {
          const chips = $("#chips");
          chips.replaceChildren();
          for (const key of [...FILTERS, "sort"]) {
            const value = params.get(key);
            if (!value || (key === "sort" && value === "score")) continue;
            const chip = element("button", "chip", NAMES[key] + "：" + (key === "sort" ? SORTS[value] || value : value) + " ×");
            chip.type = "button";
            chip.dataset.filter = key;
            chip.setAttribute("aria-label", "remove " + key);
            chip.addEventListener("click", () => navigate(changed(params, { [key]: null, offset: null })));
            chips.append(chip);
          }
        }

        // Shows what the URL says: the search (fetched again only when its
        // settings changed), then the preview it names, if any.
        // Each show() has a ticket: an answer that comes back after a newer
        // navigation started is dropped, so quick back/forward never shows
        // an older search's hits or facets.
        let ticket = 0;
        async function show(params) {
          const mine = ++ticket;
          const q = params.get("q") || "";
          $("#q").value = q;
          $("#sort").value = params.get("sort") || "score";
          renderChips(params);
          const key = searchParams(params).toString() + "&" + (params.get("offset") || "0");
          if (key !== shown) {
            shown = key;
            if (!q.trim()) {
              $("#results").replaceChildren(); $("#status").textContent = ""; $("#facets").hidden = true; $("#export").hidden = true;
            } else {
              const request = searchParams(params);
              request.set("limit", String(PAGE));
              if (params.get("offset")) request.set("offset", params.get("offset"));
              const started = performance.now();
              try {
                const result = await getJSON("/api/search", request);
                if (mine !== ticket) return;
                renderHits(result, (performance.now() - started) / 1000, params);
                loadFacets(params, mine);
              } catch (error) {
                if (mine !== ticket) return;
                $("#results").replaceChildren(); $("#pages").replaceChildren(); $("#facets").hidden = true;
                $("#export").hidden = true;
                $("#status").textContent = error.message;
              }
            }
          }
          if (mine !== ticket) return;
          if (params.get("open")) await openPreview(params); else closePreview();
        }

        async function loadFacets(params, mine) {
          try {
            const facets = await getJSON("/api/facets", searchParams(params, "sort"));
            // The histogram counts every year, whatever year is chosen.
            const years = params.get("year") ? await getJSON("/api/facets", searchParams(params, "year")) : facets;
            if (mine === ticket) renderFacets(facets, years, params);
          } catch (error) {
            if (mine === ticket) $("#facets").hidden = true;
          }
        }

        function navigate(params) {
          history.pushState(null, "", "?" + params.toString());
          previewPushed = false;
          show(params);
        }

        function select(index) {
          const items = document.querySelectorAll(".hit");
          if (!items.length) return;
          current = Math.max(0, Math.min(items.length - 1, index));
          items.forEach((item) => item.classList.toggle("current", Number(item.dataset.index) === current));
          items[current].scrollIntoView({ block: "nearest" });
        }

        // A hit opens its report's preview at its section: found by line
        // and heading path (a file's long lines can hold several sections),
        // and named in the URL by its number, which a permalink keeps.
        async function openHit(index) {
          const hit = hits[index];
          if (!hit) return;
          const params = new URLSearchParams(location.search);
          const body = await loadPreview(hit.report.path, params.get("q"));
          if (!body) return;
          const path = hit.section.path.join("\n");
          const found = body.sections.find((s) => s.line === hit.section.line && s.path.join("\n") === path)
            || body.sections.find((s) => s.line === hit.section.line);
          const next = changed(params, { open: hit.report.path, section: found ? found.section : 1 });
          history.pushState(null, "", "?" + next.toString());
          previewPushed = true;
          show(next);
        }

        let previewKey = "", previewBody = null;
        async function loadPreview(path, q) {
          const key = path + "\n" + (q || "");
          if (key === previewKey) return previewBody;
          const request = new URLSearchParams({ path });
          if (q) request.set("q", q);
          try { previewBody = await getJSON("/api/preview", request); } catch (error) { $("#status").textContent = error.message; return null; }
          previewKey = key;
          previewRendered = false;
          return previewBody;
        }

        let previewRendered = false;
        async function openPreview(params) {
          const body = await loadPreview(params.get("open"), params.get("q"));
          if (!body) return;
          if (!previewRendered) { renderPreview(body, params); previewRendered = true; }
          $("#preview").hidden = false;
          goToSection(Number(params.get("section") || 1));
        }

        function renderPreview(body, params) {
          const report = body.report;
          $("#preview-title").textContent = report.title;
          $("#preview-meta").textContent = metaLine(report);
          $("#original").href = api("/api/file", { path: report.path });
          const text = $("#preview-text"), outline = $("#outline");
          text.replaceChildren(); outline.replaceChildren();
          for (const section of body.sections) {
            const box = element("section", "section");
            box.id = "s" + section.section;
            box.dataset.section = section.section;
            const path = element("p", "path");
            const anchor = element("a", "", where(section));
            anchor.href = "?" + changed(params, { section: section.section }).toString();
            path.append(anchor);
            box.append(path);
            box.append(marked(element("pre"), section.text, section.matches));
            text.append(box);
            if (section.heading && section.path.length) {
              const entry = element("a", "", section.path[section.path.length - 1]);
              entry.href = "#s" + section.section;
              entry.dataset.section = section.section;
              entry.style.paddingLeft = (section.path.length - 1) + "em";
              entry.addEventListener("click", (event) => { event.preventDefault(); goToSection(section.section, true); });
              outline.append(entry);
            }
          }
          marks = Array.from(text.querySelectorAll("mark"));
          marks.forEach((mark, n) => { mark.dataset.n = n; });
          // The previous report's current match is not this one's.
          markAt = -1;
        }

        // Section `number` brought into view, its first match the current
        // one; the permalink (and, when `record`, the URL) follows.
        function goToSection(number, record) {
          const target = document.getElementById("s" + number) || document.querySelector("#preview-text .section");
          if (!target) return;
          document.querySelectorAll("#preview-text .section.here").forEach((s) => s.classList.remove("here"));
          target.classList.add("here");
          // The outline's entry for the section, or the last heading above it.
          let entry = null;
          document.querySelectorAll("#outline a").forEach((a) => {
            a.classList.remove("here");
            if (Number(a.dataset.section) <= Number(target.dataset.section)) entry = a;
          });
          if (entry) { entry.classList.add("here"); entry.scrollIntoView({ block: "nearest" }); }
          const params = changed(new URLSearchParams(location.search), { section: target.dataset.section });
          $("#permalink").href = "?" + params.toString();
          if (record) history.replaceState(null, "", "?" + params.toString());
          const first = target.querySelector("mark");
          if (first) setMark(Number(first.dataset.n)); else { setMark(-1); target.scrollIntoView({ block: "start" }); }
        }

        function setMark(n) {
          if (markAt >= 0 && marks[markAt]) marks[markAt].classList.remove("current");
          markAt = marks.length ? n : -1;
          $("#counter").textContent = marks.length ? (markAt + 1) + "/" + marks.length : "0/0";
          if (markAt < 0) return;
          marks[markAt].classList.add("current");
          marks[markAt].scrollIntoView({ block: "center" });
        }

        function stepMark(by) {
          if (!marks.length) return;
          setMark(((markAt < 0 ? 0 : markAt + by) + marks.length) % marks.length);
        }

        function closePreview() {
          $("#preview").hidden = true;
        }

        function leavePreview() {
          if (previewPushed) { history.back(); return; }
          const params = changed(new URLSearchParams(location.search), { open: null, section: null });
          history.replaceState(null, "", "?" + params.toString());
          closePreview();
        }

        document.addEventListener("DOMContentLoaded", () => {
          $("#search").addEventListener("submit", (event) => {
            event.preventDefault();
            navigate(changed(new URLSearchParams(location.search), {
              q: $("#q").value, offset: null, open: null, section: null, sort: $("#sort").value === "score" ? null : $("#sort").value }));
          });
          $("#sort").addEventListener("change", () => {
            navigate(changed(new URLSearchParams(location.search), { sort: $("#sort").value === "score" ? null : $("#sort").value, offset: null }));
          });
          $("#close").addEventListener("click", leavePreview);
          $("#next-match").addEventListener("click", () => stepMark(1));
          $("#previous-match").addEventListener("click", () => stepMark(-1));
          window.addEventListener("popstate", () => { previewPushed = false; show(new URLSearchParams(location.search)); });
          document.addEventListener("keydown", (event) => {
            if (event.target === $("#q") || event.target === $("#sort")) { if (event.key === "Escape") event.target.blur(); return; }
            if (event.ctrlKey || event.metaKey || event.altKey) return;
            const previewing = !$("#preview").hidden;
            if (event.key === "/") { event.preventDefault(); $("#q").focus(); }
            else if (event.key === "Escape" && previewing) leavePreview();
            else if (previewing && event.key === "n") stepMark(1);
            else if (previewing && event.key === "N") stepMark(-1);
            else if (previewing) return;
            else if (event.key === "j") select(current + 1);
            else if (event.key === "k") select(current - 1);
            else if (event.key === "Enter" && current >= 0) openHit(current);
          });
          getJSON("/api/stats", {}).then((s) => {
            $("#index").textContent = s.reports + " reports · " + s.sections + " sections · updated " + (s.updated || "?");
          }).catch(() => {});
          getJSON("/api/freshness", {}).then((f) => {
            if (f.notice) { $("#notice").textContent = "索引需要更新：" + f.notice; $("#notice").hidden = false; }
          }).catch(() => {});
          $("#q").focus();
          show(new URLSearchParams(location.search));
        });
        """#

    static func openSearch(base: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
        <ShortName>rsearch</ShortName>
        <Description>Search Chinese reports</Description>
        <InputEncoding>UTF-8</InputEncoding>
        <Url type="text/html" template="\(base)/?q={searchTerms}"/>
        <Url type="application/json" template="\(base)/api/search?q={searchTerms}"/>
        </OpenSearchDescription>
        """
    }

    /// The API's OpenAPI 3.1 description.
    static let openAPI = #"""
        {"openapi":"3.1.0","info":{"title":"rsearch","version":"1"},
         "paths":{
          "/api/search":{"get":{"summary":"Search: the object of rsearch QUERY --json (README, JSON output)",
            "parameters":[
              {"name":"q","in":"query","required":true,"schema":{"type":"string","maxLength":1000}},
              {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":10}},
              {"name":"offset","in":"query","schema":{"type":"integer","minimum":0,"default":0}},
              {"name":"sort","in":"query","schema":{"type":"string","enum":["score","year","path"]}},
              {"name":"year","in":"query","schema":{"type":"string","examples":["2022","2018..2022"]}},
              {"name":"enacted","in":"query","schema":{"type":"string"}},
              {"name":"kind","in":"query","schema":{"type":"string"}},
              {"name":"title","in":"query","schema":{"type":"string"}},
              {"name":"author","in":"query","schema":{"type":"string"}},
              {"name":"unit","in":"query","schema":{"type":"string"}},
              {"name":"fold","in":"query","schema":{"type":"string","enum":["true","false"]}},
              {"name":"format","in":"query","schema":{"type":"string","enum":["json","jsonl","csv"],"default":"json"}},
              {"name":"excel","in":"query","schema":{"type":"string","enum":["true","false"]},"description":"csv: the UTF-8 byte-order mark first"},
              {"name":"download","in":"query","schema":{"type":"string","enum":["true","false"]},"description":"as a file to save (Content-Disposition)"}],
            "responses":{"200":{"description":"the result"},"400":{"description":"a bad query or parameter, or a search stopped at the time limit: {error, column}"}}}},
          "/api/reports":{"get":{"summary":"The reports, as rsearch list --json","responses":{"200":{"description":"reports"}}}},
          "/api/outline":{"get":{"summary":"A report's outline, as rsearch show PATH --json",
            "parameters":[{"name":"path","in":"query","required":true,"schema":{"type":"string"}}],
            "responses":{"200":{"description":"the outline"},"404":{"description":"no such report"}}}},
          "/api/section":{"get":{"summary":"One section, as rsearch show PATH:LINE --json",
            "parameters":[{"name":"path","in":"query","required":true,"schema":{"type":"string"}},
              {"name":"section","in":"query","schema":{"type":"integer","minimum":1}},
              {"name":"line","in":"query","schema":{"type":"integer","minimum":1}}],
            "responses":{"200":{"description":"the section"},"404":{"description":"no such report or section"}}}},
          "/api/facets":{"get":{"summary":"Counts of the matching sections (and their reports) by year, kind and unit; the filters of /api/search apply",
            "parameters":[{"name":"q","in":"query","required":true,"schema":{"type":"string","maxLength":1000}},
              {"name":"year","in":"query","schema":{"type":"string"}},{"name":"kind","in":"query","schema":{"type":"string"}},
              {"name":"unit","in":"query","schema":{"type":"string"}},{"name":"author","in":"query","schema":{"type":"string"}},
              {"name":"title","in":"query","schema":{"type":"string"}},{"name":"fold","in":"query","schema":{"type":"string","enum":["true","false"]}}],
            "responses":{"200":{"description":"{total, reports, year: [{value, sections, reports}], kind: […], unit: […]}"},"400":{"description":"a bad query"}}}},
          "/api/preview":{"get":{"summary":"A report's sections in full, each with the query's matches",
            "parameters":[{"name":"path","in":"query","required":true,"schema":{"type":"string"}},
              {"name":"q","in":"query","schema":{"type":"string","maxLength":1000}},
              {"name":"fold","in":"query","schema":{"type":"string","enum":["true","false"]}}],
            "responses":{"200":{"description":"{report, matches, sections: [{section, path, heading, line, page, text, matches}]}"},
              "404":{"description":"no such report"}}}},
          "/api/file":{"get":{"summary":"The report's original file, as an attachment",
            "parameters":[{"name":"path","in":"query","required":true,"schema":{"type":"string"}}],
            "responses":{"200":{"description":"the file's bytes (application/octet-stream)"},"404":{"description":"no such report, or its file is no longer a file in the corpus"}}}},
          "/api/freshness":{"get":{"summary":"Whether the corpus changed since the index was written",
            "responses":{"200":{"description":"{current: boolean, notice: string or null}"}}}},
          "/api/stats":{"get":{"summary":"Figures about the index, as rsearch stats --json","responses":{"200":{"description":"stats"}}}}}}
        """#
}
